from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.registry import registry
from biaoshuai.org.services import person_create
from biaoshuai.study import completion, services
from biaoshuai.study.forms import MaterialForm
from biaoshuai.study.models import Attendance, Deliverable, DeliverableEvent, StudyCompletion

from .conftest import make_deliverable, make_session

P = Attendance.Status


def test_session_expects_the_organising_units_active_cadres_by_default(campaign, org, users):
    person_create(by=None, unit=org.lishi, name="离岗干部", is_active=False)
    session = make_session(campaign, users.liaison_lishi, org.lishi)
    names = set(session.attendances.values_list("person__name", flat=True))
    assert names == {"王建国", "李秀英"}
    assert set(session.attendances.values_list("status", flat=True)) == {P.PENDING}
    assert len(session.sign_in_token) >= 30
    assert AuditEvent.objects.filter(object_type="study.studysession", action="create").exists()


def test_session_for_chosen_units_and_update_resyncs(campaign, org, users):
    session = make_session(campaign, users.office, org.department, audience_units=[org.zengji])
    assert session.attendances.count() == 2
    services.session_update(
        session=session,
        by=users.office,
        audience_units=[org.lishi_sub, org.zengji],
        title="改名后的培训班",
    )
    assert set(session.attendances.values_list("person__name", flat=True)) == {
        "李秀英",
        "张伟",
        "刘芳",
    }


def test_liaison_cannot_organise_for_another_unit(campaign, org, users):
    with pytest.raises(ValidationError) as exc:
        make_session(campaign, users.liaison_lishi, org.zengji)
    assert str(services.UNIT_OUT_OF_SCOPE) in str(exc.value)


def test_session_refuses_unknown_kind_and_topics(campaign, org, users):
    with pytest.raises(ValidationError):
        make_session(campaign, users.office, org.department, kind="party")
    with pytest.raises(ValidationError):
        make_session(campaign, users.office, org.department, topics=["nope"])


@pytest.mark.parametrize(
    ("offset_minutes", "message"),
    [
        (-31, services.SIGN_IN_NOT_OPEN),  # before the window opens (30 minutes before start)
        (-29, None),  # inside: just opened
        (60, None),  # inside: under way
        (121, services.SIGN_IN_CLOSED),  # after the end (2 hours)
    ],
)
def test_sign_in_window(campaign, org, users, offset_minutes, message):
    session = make_session(campaign, users.office, org.department)
    now = session.starts_at + timedelta(minutes=offset_minutes)
    if message is None:
        attendance = services.attendance_sign_in(
            token=session.sign_in_token, user=users.cadre_lishi, now=now
        )
        assert attendance.status == P.PRESENT and attendance.signed_in_at == now
    else:
        with pytest.raises(ValidationError) as exc:
            services.attendance_sign_in(
                token=session.sign_in_token, user=users.cadre_lishi, now=now
            )
        assert str(message).split("%")[0] in exc.value.messages[0]
        assert Attendance.objects.get(session=session, person__user=users.cadre_lishi).status == (
            P.PENDING
        )


def test_sign_in_wrong_token_and_not_expected(campaign, org, users, authors):
    session = make_session(campaign, users.liaison_zengji, org.zengji)
    with pytest.raises(ValidationError) as exc:
        services.attendance_sign_in(token="not-the-token", user=users.cadre_lishi)
    assert exc.value.messages == [str(services.SIGN_IN_WRONG_CODE)]
    with pytest.raises(ValidationError) as exc:
        services.attendance_sign_in(token=session.sign_in_token, user=users.cadre_lishi)
    assert exc.value.messages == [str(services.SIGN_IN_NOT_EXPECTED)]
    first = services.attendance_sign_in(token=session.sign_in_token, user=authors["zengji_a"])
    again = services.attendance_sign_in(token=session.sign_in_token, user=authors["zengji_a"])
    assert again.signed_in_at == first.signed_in_at


def test_mark_in_bulk_within_scope(campaign, org, users):
    session = make_session(campaign, users.office, org.department)
    rows = {a.person.name: a for a in session.attendances.select_related("person")}
    marks = {
        rows["王建国"].pk: (P.PRESENT, ""),
        rows["李秀英"].pk: (P.LEAVE, ""),
    }
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(session=session, by=users.liaison_lishi, marks=marks)
    assert "李秀英" in exc.value.messages[0]
    assert not Attendance.objects.exclude(status=P.PENDING).exists()  # nothing half-saved
    marks[rows["李秀英"].pk] = (P.LEAVE, "外出参加培训")
    marks[rows["张伟"].pk] = (P.ABSENT, "")  # another unit: ignored for this liaison
    assert services.attendance_mark(session=session, by=users.liaison_lishi, marks=marks) == 2
    rows["李秀英"].refresh_from_db()
    rows["张伟"].refresh_from_db()
    assert (rows["李秀英"].status, rows["李秀英"].leave_reason) == (P.LEAVE, "外出参加培训")
    assert rows["张伟"].status == P.PENDING


def test_mark_refused_before_sign_in_opens(campaign, org, users):
    session = make_session(campaign, users.office, org.department, starts_in=timedelta(days=2))
    row = session.attendances.first()
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(session=session, by=users.office, marks={row.pk: (P.PRESENT, "")})
    assert exc.value.messages == [str(services.MARK_NOT_OPEN)]


def test_return_and_resubmission_keep_history(campaign, phase, org, users):
    cadre, person = users.cadre_lishi, org.people["lishi_a"]
    d = make_deliverable(phase, person, cadre, text="初稿第一段。\n\n初稿第二段。")
    with pytest.raises(ValidationError):
        services.deliverable_accept(deliverable=d, by=users.liaison_lishi)  # still a draft
    services.deliverable_submit(deliverable=d, by=cadre)
    with pytest.raises(ValidationError) as exc:
        services.deliverable_return(deliverable=d, by=users.liaison_lishi, comment=" ")
    assert str(services.RETURN_NEEDS_COMMENT) in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.deliverable_return(deliverable=d, by=users.liaison_zengji, comment="不行")
    assert exc.value.messages == [str(services.NOT_A_REVIEWER)]
    services.deliverable_return(deliverable=d, by=users.liaison_lishi, comment="请补充调研数据。")
    assert d.state == Deliverable.State.RETURNED
    with pytest.raises(ValidationError):
        services.deliverable_update(deliverable=d, by=users.liaison_lishi, title="x", text="y")
    services.deliverable_update(deliverable=d, by=cadre, title=d.title, text="修改稿。")
    services.deliverable_submit(deliverable=d, by=cadre)
    assert (d.state, d.submissions) == (Deliverable.State.SUBMITTED, 2)
    services.deliverable_accept(deliverable=d, by=users.office, comment="很好")
    with pytest.raises(ValidationError) as exc:
        services.deliverable_submit(deliverable=d, by=cadre)
    assert exc.value.messages == [str(services.CANNOT_SUBMIT)]
    events = list(d.events.values_list("action", "comment", "text", "actor__username"))
    A = DeliverableEvent.Action
    assert [e[0] for e in events] == [
        A.CREATED,
        A.SUBMITTED,
        A.RETURNED,
        A.EDITED,
        A.RESUBMITTED,
        A.ACCEPTED,
    ]
    assert events[1][2] == "初稿第一段。\n\n初稿第二段。"
    assert events[2][1:] == ("请补充调研数据。", "初稿第一段。\n\n初稿第二段。", "liaison_lishi")
    assert events[4][2] == "修改稿。"


def test_deliverable_limits(campaign, phase, org, users):
    person = org.people["lishi_a"]
    make_deliverable(phase, person, users.cadre_lishi)
    with pytest.raises(ValidationError) as exc:
        make_deliverable(phase, person, users.cadre_lishi)
    assert "心得体会文章" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        make_deliverable(phase, org.people["lishi_b"], users.cadre_lishi)  # not theirs
    with pytest.raises(ValidationError):
        make_deliverable(phase, person, users.cadre_lishi, kind="poem")
    empty = make_deliverable(phase, person, users.cadre_lishi, kind="research_report", text="")
    with pytest.raises(ValidationError) as exc:
        services.deliverable_submit(deliverable=empty, by=users.cadre_lishi)
    assert exc.value.messages == [str(services.NEEDS_CONTENT)]
    with pytest.raises(ValidationError):  # nobody reviews their own
        services.deliverable_accept(deliverable=empty, by=users.cadre_lishi)


def test_due_dates_count_months_from_the_phase_start(campaign, phase):
    kinds = {k["key"]: k for k in completion.deliverable_kinds(campaign)}
    start = phase.starts_on
    due = completion.due_on(phase, kinds["reflection"])  # due_month 5
    assert (due + timedelta(days=1)).day == 1
    assert ((due + timedelta(days=1)).year * 12 + (due + timedelta(days=1)).month) - (
        start.year * 12 + start.month
    ) == 5


def test_material_upload_checks_type_size_and_content():
    pdf = SimpleUploadedFile("讲义.pdf", b"%PDF-1.4 test")
    assert MaterialForm(files={"file": pdf}).is_valid()
    pptx = SimpleUploadedFile("课件.pptx", b"PK\x03\x04rest")
    assert MaterialForm(files={"file": pptx}).is_valid()
    fake = SimpleUploadedFile("课件.pptx", b"not a zip")
    form = MaterialForm(files={"file": fake})
    assert not form.is_valid() and "pptx" in form.errors["file"][0]
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    assert not MaterialForm(files={"file": exe}).is_valid()


@pytest.fixture
def dataset(campaign, phase, org, users, authors):
    """The fixed dataset whose figures the next tests check (see the numbers there)."""
    office, liaison = users.office, users.liaison_lishi
    s1 = make_session(campaign, office, org.department, starts_in=timedelta(days=-2))
    s2 = make_session(campaign, liaison, org.lishi, starts_in=timedelta(days=-1), kind="discussion")
    s3 = make_session(campaign, office, org.department, starts_in=timedelta(days=3))
    people = org.people

    def mark(session, by, **statuses):
        rows = {a.person_id: a.pk for a in session.attendances.all()}
        marks = {
            rows[people[k].pk]: (v, "下乡调研" if v == P.LEAVE else "") for k, v in statuses.items()
        }
        services.attendance_mark(session=session, by=by, marks=marks)

    mark(s1, office, lishi_a=P.PRESENT, lishi_b=P.LEAVE, zengji_a=P.PRESENT, zengji_b=P.ABSENT)
    mark(s2, liaison, lishi_a=P.PRESENT, lishi_b=P.PRESENT)
    z = users.liaison_zengji
    make_deliverable(
        phase, people["lishi_a"], authors["lishi_a"], state="accepted", reviewer=liaison
    )
    make_deliverable(
        phase, people["lishi_a"], authors["lishi_a"], kind="research_report", state="submitted"
    )
    make_deliverable(phase, people["zengji_a"], authors["zengji_a"], state="accepted", reviewer=z)
    make_deliverable(
        phase,
        people["zengji_a"],
        authors["zengji_a"],
        kind="innovation_idea",
        state="accepted",
        reviewer=office,
    )
    make_deliverable(phase, people["zengji_b"], authors["zengji_b"], state="returned", reviewer=z)
    completion.study_completion_refresh(campaign=campaign)
    return s1, s2, s3


def _figures(campaign, unit):
    return dict(
        StudyCompletion.objects.filter(campaign=campaign, unit=unit).values_list("column", "rate")
    )


def test_completion_figures_on_a_fixed_dataset(campaign, org, dataset):
    s1, s2, s3 = dataset
    col = completion.session_column
    lishi = _figures(campaign, org.lishi)
    assert lishi == {
        col(s1.pk): 50.0,
        col(s2.pk): 100.0,
        "attendance": 75.0,  # 3 present of 4 expected (the upcoming session is not counted)
        # The same by study kind (the figure study.kind_attendance_rate reads them).
        "study_kind:training_course": 50.0,
        "study_kind:discussion": 100.0,
        "kind:reflection": 50.0,
        "kind:research_report": 0.0,  # submitted, not accepted
        "kind:innovation_idea": 0.0,
        "deliverables": 16.67,  # 1 accepted of 2 cadres × 3 owed
        "completion": 45.83,  # (75 + 16.667) / 2
    }
    sub = _figures(campaign, org.lishi_sub)
    assert (sub["attendance"], sub["deliverables"], sub["completion"]) == (50.0, 0.0, 25.0)
    zengji = _figures(campaign, org.zengji)
    assert col(s2.pk) not in zengji
    assert (zengji["attendance"], zengji["deliverables"], zengji["completion"]) == (
        50.0,
        33.33,
        41.67,
    )
    assert (zengji["kind:reflection"], zengji["kind:innovation_idea"]) == (50.0, 50.0)
    root = _figures(campaign, org.department)
    assert (root["attendance"], root["deliverables"], root["completion"]) == (66.67, 25.0, 45.83)
    assert col(s3.pk) not in root


def test_metrics_through_the_registry(campaign, org, users, dataset):
    completion_rate = registry.metrics["study.completion_rate"]
    attendance = registry.metrics["study.attendance_rate"]
    deliverables = registry.metrics["study.deliverable_rate"]
    ids = [org.lishi.pk, org.zengji.pk]
    assert completion_rate.by_unit(campaign=campaign, unit_ids=ids) == {
        org.lishi.pk: 45.83,
        org.zengji.pk: 41.67,
    }
    assert attendance.by_unit(campaign=campaign, unit_ids=ids) == {
        org.lishi.pk: 75.0,
        org.zengji.pk: 50.0,
    }
    assert deliverables.by_unit(campaign=None, unit_ids=ids) == {
        org.lishi.pk: 16.67,
        org.zengji.pk: 33.33,
    }
    assert completion_rate.total(user=users.office, campaign=campaign) == 45.83
    assert attendance.total(user=users.liaison_lishi, campaign=None) == 75.0
    assert deliverables.total(user=users.liaison_zengji, campaign=None) == 33.33
    assert completion_rate.total(user=users.cadre_lishi, campaign=None) is None
    assert completion_rate.total(user=users.norole, campaign=None) is None


def test_by_unit_is_one_query(campaign, org, dataset, django_assert_num_queries):
    metric = registry.metrics["study.completion_rate"]
    with django_assert_num_queries(1):
        metric.by_unit(campaign=campaign, unit_ids=[org.lishi.pk, org.zengji.pk, org.department.pk])


def test_changes_queue_a_refresh(campaign, org, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(
            campaign, users.office, org.department, starts_in=timedelta(hours=-1)
        )
    assert completion.computed_at(campaign=campaign) is not None
    assert _figures(campaign, org.lishi)["attendance"] == 0.0
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_sign_in(token=session.sign_in_token, user=users.cadre_lishi)
    assert _figures(campaign, org.lishi)["attendance"] == 50.0


def test_my_study_lists_what_is_owed_and_overdue(campaign, phase, org, users):
    from biaoshuai.study import selectors

    make_session(campaign, users.office, org.department, starts_in=timedelta(days=1))
    make_deliverable(phase, org.people["lishi_a"], users.cadre_lishi)
    later = timezone.now() + timedelta(days=200)
    mine = selectors.my_study(user=users.cadre_lishi, campaign=campaign)
    assert len(mine["upcoming"]) == 1
    owed = {o.key: o for o in mine["owed"]}
    assert owed["reflection"].items[0].state == Deliverable.State.DRAFT
    assert owed["research_report"].missing == 1
    assert not any(o.overdue for o in mine["owed"])
    late = selectors.my_study(user=users.cadre_lishi, campaign=campaign, now=later)
    assert all(o.overdue for o in late["owed"])


def test_liaison_enters_a_deliverable_for_a_cadre_without_a_login(campaign, phase, org, users):
    person = org.people["lishi_b"]  # no login
    d = make_deliverable(phase, person, users.liaison_lishi, state="submitted")
    assert d.state == Deliverable.State.SUBMITTED
    with pytest.raises(ValidationError):
        make_deliverable(phase, org.people["zengji_a"], users.liaison_lishi)  # not their unit
    services.deliverable_accept(deliverable=d, by=users.office)
    assert d.events.last().actor == users.office
