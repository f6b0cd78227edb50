import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.notifications.models import Notification
from biaoshuai.notifications.services import deadline_reminders_send
from biaoshuai.rectification import metrics, services
from biaoshuai.rectification.models import (
    DeadlineChange,
    PersonalPlan,
    ProblemSource,
    RectificationItem,
)
from biaoshuai.rectification.selectors import problems_for_sources
from biaoshuai.rectification.services.items import (
    PARENT_PROGRESS_COMPUTED,
    RETURN_REASON_REQUIRED,
    SUBMIT_NOT_COMPLETE,
)

from .conftest import bring_to, refresh

State = RectificationItem.State
# The service that tries to move an item to each state.
MOVES = {
    State.IN_PROGRESS: lambda item, by: services.progress_record(
        item=item, by=by, text="推进", percent=100
    ),
    State.SUBMITTED: lambda item, by: services.item_submit(item=item, by=by),
    State.RETURNED: lambda item, by: services.item_return(item=item, by=by, reason="不符合要求"),
    State.CLOSED: lambda item, by: services.item_close(item=item, by=by),
}
LEGAL = {
    (State.PLANNED, State.IN_PROGRESS),
    (State.IN_PROGRESS, State.IN_PROGRESS),
    (State.IN_PROGRESS, State.SUBMITTED),
    (State.RETURNED, State.IN_PROGRESS),
    (State.RETURNED, State.SUBMITTED),
    (State.SUBMITTED, State.RETURNED),
    (State.SUBMITTED, State.CLOSED),
}


@pytest.mark.parametrize("source,target", list(itertools.product(State.values, MOVES)))
def test_every_transition_pair(org, users, make_problem, make_item, source, target):
    item = bring_to(make_item(make_problem(org.lishi)), source, users.office)
    assert item.state == source
    if (source, target) in LEGAL:
        MOVES[target](item, users.office)
        assert refresh(item).state == target
    else:
        with pytest.raises(ValidationError):
            MOVES[target](item, users.office)
        assert refresh(item).state == source


def test_no_state_goes_back_to_planned(org, users, make_problem, make_item):
    item = bring_to(make_item(make_problem(org.lishi)), State.IN_PROGRESS, users.office)
    with pytest.raises(ValidationError):
        services.item_start(item=item, by=users.office)
    assert all(State.PLANNED not in targets for targets in services.ALLOWED.values())


def test_submit_needs_full_progress_and_return_needs_reason(org, users, make_problem, make_item):
    item = make_item(make_problem(org.lishi))
    services.progress_record(item=item, by=users.liaison_lishi, text="已完成一半", percent=50)
    with pytest.raises(ValidationError) as exc:
        services.item_submit(item=refresh(item), by=users.liaison_lishi)
    assert str(SUBMIT_NOT_COMPLETE) in exc.value.messages
    item = bring_to(make_item(make_problem(org.lishi)), State.SUBMITTED, users.office)
    with pytest.raises(ValidationError) as exc:
        services.item_return(item=item, by=users.office, reason="  ")
    assert str(RETURN_REASON_REQUIRED) in exc.value.messages
    services.item_return(item=item, by=users.office, reason="缺少会议记录")
    item = refresh(item)
    assert item.return_reason == "缺少会议记录"
    assert item.log.filter(action="returned", note="缺少会议记录").exists()


def test_close_records_date_and_user(org, users, make_problem, make_item):
    item = bring_to(make_item(make_problem(org.lishi)), State.CLOSED, users.office)
    assert item.closed_on == timezone.localdate()
    assert item.closed_by == users.office


def test_weighted_progress_with_nested_sub_items(org, users, make_problem, make_item):
    problem = make_problem(org.lishi)
    parent = make_item(problem)
    a = make_item(problem, parent=parent, weight=1)
    b = make_item(problem, parent=parent, weight=3)
    b1 = make_item(problem, parent=b, weight=1)
    b2 = make_item(problem, parent=b, weight=1)
    services.progress_record(item=a, by=users.office, text="完成", percent=100)
    assert refresh(parent).progress == 25
    services.progress_record(item=b1, by=users.office, text="完成", percent=100)
    assert refresh(b).progress == 50
    assert refresh(parent).progress == round((100 * 1 + 50 * 3) / 4)
    services.progress_record(item=b2, by=users.office, text="过半", percent=60)
    assert refresh(b).progress == 80
    assert refresh(parent).progress == 85
    # A new sub-item at 0% pulls its parents down at once.
    make_item(problem, parent=b, weight=2)
    assert refresh(b).progress == 40
    assert refresh(parent).progress == round((100 + 40 * 3) / 4)
    with pytest.raises(ValidationError) as exc:
        services.progress_record(item=refresh(b), by=users.office, text="x", percent=90)
    assert str(PARENT_PROGRESS_COMPUTED) in exc.value.messages
    # A parent's text-only update is fine and leaves the computed progress alone.
    services.progress_record(item=refresh(b), by=users.office, text="督促推进")
    assert refresh(b).progress == 40


def test_progress_on_a_sub_item_starts_its_parents(org, users, make_problem, make_item):
    problem = make_problem(org.lishi)
    parent = make_item(problem)
    middle = make_item(problem, parent=parent)
    leaf = make_item(problem, parent=middle)
    assert refresh(parent).state == RectificationItem.State.PLANNED
    services.progress_record(item=leaf, by=users.office, text="开始走访", percent=30)
    assert refresh(middle).state == RectificationItem.State.IN_PROGRESS
    assert refresh(parent).state == RectificationItem.State.IN_PROGRESS
    assert refresh(parent).progress == 30


def test_parent_submits_only_when_children_closed(org, users, make_problem, make_item):
    problem = make_problem(org.lishi)
    parent = make_item(problem)
    child = make_item(problem, parent=parent)
    services.progress_record(item=child, by=users.office, text="完成", percent=100)
    services.progress_record(item=refresh(parent), by=users.office, text="汇总")
    with pytest.raises(ValidationError):
        services.item_submit(item=refresh(parent), by=users.office)
    bring_to(refresh(child), State.CLOSED, users.office)
    services.item_submit(item=refresh(parent), by=users.office)
    assert refresh(parent).state == State.SUBMITTED


def test_evidence_files_checked(org, users, make_problem, make_item):
    item = make_item(make_problem(org.lishi))
    bad = SimpleUploadedFile("x.exe", b"MZ....", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.progress_record(item=item, by=users.office, text="x", percent=10, files=[bad])
    fake_pdf = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.progress_record(item=item, by=users.office, text="x", percent=10, files=[fake_pdf])
    assert not item.updates.exists()
    good = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    update = services.progress_record(
        item=item, by=users.office, text="x", percent=10, files=[good]
    )
    assert update.files.get().name == "会议记录.pdf"


def test_deadline_moves_only_when_approved(org, users, make_problem, make_item):
    item = make_item(make_problem(org.lishi), days=5)
    old = item.deadline
    new = old + datetime.timedelta(days=30)
    change = services.deadline_change_request(
        item=item, by=users.liaison_lishi, proposed=new, reason="需协调多部门"
    )
    assert refresh(item).deadline == old
    with pytest.raises(ValidationError):
        services.deadline_change_request(
            item=item, by=users.liaison_lishi, proposed=new, reason="again"
        )
    with pytest.raises(ValidationError):
        services.deadline_change_decide(change=change, by=users.office, approve=False, note="")
    services.deadline_change_decide(change=change, by=users.office, approve=True)
    assert refresh(item).deadline == new
    assert refresh(change).state == DeadlineChange.State.APPROVED
    with pytest.raises(ValidationError):
        services.deadline_change_decide(change=change, by=users.office, approve=True)
    refused = services.deadline_change_request(
        item=item,
        by=users.liaison_lishi,
        proposed=new + datetime.timedelta(days=9),
        reason="再延期",
    )
    services.deadline_change_decide(change=refused, by=users.office, approve=False, note="不予延期")
    assert refresh(item).deadline == new
    with pytest.raises(ValidationError):
        services.deadline_change_request(
            item=item, by=users.liaison_lishi, proposed=new, reason="same date"
        )


def test_problem_sources_and_lookup(org, users, make_problem, django_assert_num_queries):
    p1 = make_problem(
        org.lishi,
        sources=[
            (ProblemSource.Kind.OPINION, "11", "意见 11"),
            (ProblemSource.Kind.OPINION, "12", "意见 12"),
        ],
    )
    p2 = make_problem(org.zengji, sources=[(ProblemSource.Kind.OPINION, "11", "意见 11")])
    direct = make_problem(org.zengji)
    assert direct.sources.get().kind == ProblemSource.Kind.DIRECT
    with django_assert_num_queries(1):
        found = problems_for_sources(kind="opinion", source_ids=[11, "12", "99"])
    assert {p.pk for p in found["11"]} == {p1.pk, p2.pk}
    assert [p.pk for p in found["12"]] == [p1.pk]
    assert "99" not in found
    with pytest.raises(ValidationError):
        make_problem(org.lishi, dimension="nonsense")


def test_disclosure_public_only(org, users, make_problem):
    public = make_problem(org.lishi, disclosure=Disclosure.PUBLIC)
    make_problem(org.lishi, disclosure=Disclosure.INTERNAL)
    from biaoshuai.rectification.models import Problem

    assert list(Problem.objects.public()) == [public]


def test_deadline_reminders_once_a_day(org, users, make_problem, make_item):
    problem = make_problem(org.lishi)
    overdue = make_item(problem, days=-3)
    today = make_item(problem, days=0)
    soon = make_item(problem, days=2)
    later = make_item(problem, days=6)  # not yet: three days ahead at most
    closed = bring_to(make_item(problem, days=-1), State.CLOSED, users.office)
    mine = Notification.objects.filter(recipient=users.liaison_lishi, kind="rectification.deadline")
    assert deadline_reminders_send() >= 3
    assert deadline_reminders_send() == 0
    urls = set(mine.values_list("url", flat=True))
    assert urls == {f"/rectification/items/{i.pk}/" for i in (overdue, today, soon)}
    assert f"/rectification/items/{later.pk}/" not in urls
    assert f"/rectification/items/{closed.pk}/" not in urls
    texts = " ".join(mine.values_list("text", flat=True))
    assert "已逾期 3 天" in texts and "今天到期" in texts and "2 天后到期" in texts
    assert not Notification.objects.filter(
        recipient=users.liaison_zengji, kind="rectification.deadline"
    ).exists()
    # The next day reminds again.
    deadline_reminders_send(today=timezone.localdate() + datetime.timedelta(days=1))
    assert mine.count() == 6


def test_personal_plan_flow(org, users, campaign):
    person = org.people["lishi_a"]
    plan = services.plan_start(person=person, campaign=campaign, by=users.cadre_lishi)
    assert services.plan_start(person=person, campaign=campaign, by=users.cadre_lishi) == plan
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, by=users.cadre_lishi)
    problem = services.plan_problem_add(
        plan=plan, by=users.cadre_lishi, text="深入基层调研不够", dimension="thinking_style"
    )
    with pytest.raises(ValidationError):
        services.plan_measure_add(
            plan=plan,
            by=users.cadre_lishi,
            measure="每月下村",
            due_on=timezone.localdate(),
            done_when=" ",
        )
    measure = services.plan_measure_add(
        plan=plan,
        by=users.cadre_lishi,
        measure="每月下村调研两次",
        due_on=timezone.localdate(),
        done_when="调研笔记和报告各一份",
        problem=problem,
        aspect="conduct_advancement",
    )
    with pytest.raises(ValidationError):
        services.plan_action_record(measure=measure, by=users.cadre_lishi, text="走访")
    services.plan_submit(plan=plan, by=users.cadre_lishi)
    with pytest.raises(ValidationError):
        services.plan_measure_add(
            plan=plan, by=users.cadre_lishi, measure="x", due_on=timezone.localdate(), done_when="y"
        )
    with pytest.raises(ValidationError):
        services.plan_review(plan=plan, by=users.liaison_lishi, accept=False, comment="")
    services.plan_review(plan=plan, by=users.liaison_lishi, accept=False, comment="措施不够具体")
    assert refresh(plan).state == PersonalPlan.State.RETURNED
    assert Notification.objects.filter(
        recipient=users.cadre_lishi, kind="rectification.plan"
    ).exists()
    services.plan_submit(plan=refresh(plan), by=users.cadre_lishi)
    services.plan_review(plan=refresh(plan), by=users.liaison_lishi, accept=True)
    services.plan_action_record(
        measure=measure, by=users.cadre_lishi, text="到三个村开展调研", done=True
    )
    assert refresh(measure).done_on == timezone.localdate()
    assert refresh(plan).state == PersonalPlan.State.ACCEPTED


def test_metrics_total_and_by_unit(org, users, make_problem, make_item, django_assert_num_queries):
    lishi = make_problem(org.lishi)
    zengji = make_problem(org.zengji)
    on_time = bring_to(make_item(lishi, days=3), State.CLOSED, users.office)
    make_item(lishi, unit=org.lishi_sub, days=-2)  # overdue, in the sub-unit
    make_item(lishi, days=10)  # not due
    late = make_item(zengji, days=-5)
    bring_to(late, State.CLOSED, users.office)  # closed after its deadline
    assert on_time.closed_on <= on_time.deadline
    assert metrics.close_rate(user=users.office) == round(2 * 100 / 3, 1)
    assert metrics.on_time_rate(user=users.office) == round(100 / 3, 1)
    assert metrics.overdue(user=users.office) == 1
    assert metrics.close_rate(user=users.liaison_zengji) == 100.0
    assert metrics.overdue(user=users.liaison_zengji) == 0
    assert metrics.close_rate(user=users.norole) is None
    ids = [org.department.pk, org.lishi.pk, org.zengji.pk, org.lishi_sub.pk]
    with django_assert_num_queries(2):  # the current campaign, then one query for every unit
        by_unit = metrics.close_rate_by_unit(unit_ids=ids)
    assert by_unit == {
        org.department.pk: round(200 / 3, 1),
        org.lishi.pk: 50.0,
        org.zengji.pk: 100.0,
        org.lishi_sub.pk: 0.0,
    }
    assert metrics.overdue_by_unit(unit_ids=ids)[org.lishi.pk] == 1
    assert metrics.on_time_rate_by_unit(unit_ids=ids)[org.zengji.pk] == 0.0


def test_submitting_an_item_and_asking_for_a_deadline_tell_the_office(
    org, users, make_problem, make_item
):
    item = make_item(make_problem(org.lishi), days=5)
    change = services.deadline_change_request(
        item=item,
        by=users.liaison_lishi,
        proposed=item.deadline + datetime.timedelta(days=20),
        reason="需协调多部门",
    )
    asked = Notification.objects.get(recipient=users.office, kind="rectification.item")
    assert "申请延期" in asked.text and asked.actor == users.liaison_lishi
    services.deadline_change_decide(change=change, by=users.office, approve=True)
    bring_to(refresh(item), State.SUBMITTED, users.liaison_lishi)
    submitted = Notification.objects.filter(
        recipient=users.office, kind="rectification.item", text__startswith="已提交验收"
    )
    assert submitted.count() == 1
    assert submitted.get().url == f"/rectification/items/{item.pk}/"
    # Only the office verifies: nobody else hears of it.
    assert not Notification.objects.filter(
        text__startswith="已提交验收", recipient__in=[users.leader, users.liaison_zengji]
    ).exists()
