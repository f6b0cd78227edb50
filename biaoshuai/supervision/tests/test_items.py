"""The supervision task's state machine, its warnings, and reminders."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from biaoshuai.audit.models import AuditEvent
from biaoshuai.notifications.models import Notification
from biaoshuai.supervision import services
from biaoshuai.supervision.models import SupervisionTask, TaskEvent
from biaoshuai.supervision.services import items as item_services

from .conftest import issue

State = SupervisionTask.State
pytestmark = pytest.mark.django_db


def _task(users, org, campaign, **kw):
    item = issue(users, [org.lishi], campaign=campaign, **kw)
    return item.tasks.get()


def test_issue_makes_one_task_per_unit(users, org, campaign):
    item = issue(users, [org.lishi, org.zengji, org.lishi], campaign=campaign)
    assert sorted(t.unit.name for t in item.tasks.all()) == sorted(["李市镇", "曾集镇"])
    assert set(item.tasks.values_list("state", flat=True)) == {State.ISSUED}
    assert AuditEvent.objects.filter(action="issue", object_id=str(item.pk)).exists()


def test_issue_needs_units(users, campaign):
    with pytest.raises(ValidationError) as exc:
        issue(users, [], campaign=campaign)
    assert str(item_services.NO_UNITS) in exc.value.messages


def test_happy_path(users, org, campaign):
    task = _task(users, org, campaign)
    services.task_sign(task=task, by=users.liaison_lishi)
    pdf = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    services.task_reply(task=task, by=users.liaison_lishi, reply="已完成", files=[pdf])
    services.task_accept(task=task, by=users.office)
    task.refresh_from_db()
    assert task.state == State.ACCEPTED
    assert task.reply_count == 1
    assert task.evidence.get().name == "台账.pdf"
    assert task.on_time
    assert list(task.events.values_list("action", flat=True)) == [
        "issue",
        "sign",
        "reply",
        "accept",
    ]


def test_return_and_reply_again(users, org, campaign):
    task = _task(users, org, campaign)
    services.task_sign(task=task, by=users.liaison_lishi)
    services.task_reply(task=task, by=users.liaison_lishi, reply="已完成")
    services.task_return(task=task, by=users.office, reason="缺少佐证材料")
    task.refresh_from_db()
    assert task.state == State.RETURNED and task.return_reason == "缺少佐证材料"
    services.task_reply(task=task, by=users.liaison_lishi, reply="已补充")
    task.refresh_from_db()
    assert task.state == State.REPLIED and task.reply_count == 2


def test_return_needs_reason(users, org, campaign):
    task = _task(users, org, campaign)
    services.task_sign(task=task, by=users.liaison_lishi)
    services.task_reply(task=task, by=users.liaison_lishi, reply="已完成")
    with pytest.raises(ValidationError) as exc:
        services.task_return(task=task, by=users.office, reason="  ")
    assert str(item_services.RETURN_NO_REASON) in exc.value.messages


def test_reply_needs_text(users, org, campaign):
    task = _task(users, org, campaign)
    services.task_sign(task=task, by=users.liaison_lishi)
    with pytest.raises(ValidationError):
        services.task_reply(task=task, by=users.liaison_lishi, reply="")


def test_reply_refuses_a_bad_file_and_saves_nothing(users, org, campaign):
    task = _task(users, org, campaign)
    services.task_sign(task=task, by=users.liaison_lishi)
    fake = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.task_reply(task=task, by=users.liaison_lishi, reply="已完成", files=[fake])
    task.refresh_from_db()
    assert task.state == State.SIGNED and not task.evidence.exists()


def _to_state(users, task, state):
    steps = {
        State.ISSUED: [],
        State.SIGNED: ["sign"],
        State.REPLIED: ["sign", "reply"],
        State.RETURNED: ["sign", "reply", "return"],
        State.ACCEPTED: ["sign", "reply", "accept"],
    }[state]
    for step in steps:
        _do(users, task, step)
    task.refresh_from_db()
    assert task.state == state


def _do(users, task, action):
    if action == "sign":
        return services.task_sign(task=task, by=users.liaison_lishi)
    if action == "reply":
        return services.task_reply(task=task, by=users.liaison_lishi, reply="答复")
    if action == "accept":
        return services.task_accept(task=task, by=users.office)
    if action == "return":
        return services.task_return(task=task, by=users.office, reason="理由")
    if action == "remind":
        return services.task_remind(task=task, by=users.office, note="请抓紧")
    raise AssertionError(action)


ALLOWED = {
    State.ISSUED: {"sign", "remind"},
    State.SIGNED: {"reply", "remind"},
    State.REPLIED: {"accept", "return"},
    State.RETURNED: {"reply", "remind"},
    State.ACCEPTED: set(),
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", ["sign", "reply", "accept", "return", "remind"])
def test_every_transition(users, org, campaign, state, action):
    task = _task(users, org, campaign)
    _to_state(users, task, state)
    if action in ALLOWED[state]:
        _do(users, task, action)
        return
    events = TaskEvent.objects.filter(task=task).count()
    with pytest.raises(ValidationError) as exc:
        _do(users, task, action)
    assert "“" in exc.value.messages[0]  # the message names the current state
    task.refresh_from_db()
    assert task.state == state
    assert TaskEvent.objects.filter(task=task).count() == events


@pytest.mark.parametrize(
    "days, state, expected",
    [
        (4, State.ISSUED, ""),
        (3, State.ISSUED, "yellow"),
        (0, State.SIGNED, "yellow"),
        (-1, State.ISSUED, "red"),
        (-1, State.RETURNED, "red"),
        (-1, State.REPLIED, ""),
        (-1, State.ACCEPTED, ""),
        (2, State.ACCEPTED, ""),
    ],
)
def test_warning_boundaries(users, org, campaign, days, state, expected):
    today = datetime.date(2030, 6, 15)
    task = _task(users, org, campaign, deadline=today + datetime.timedelta(days=days))
    _to_state(users, task, state)
    task = SupervisionTask.objects.select_related("item").get(pk=task.pk)
    assert task.warning(today) == expected
    annotated = SupervisionTask.objects.with_warning(today).get(pk=task.pk)
    assert annotated.warning_code == expected
    assert SupervisionTask.objects.red(today).filter(pk=task.pk).exists() == (expected == "red")
    assert SupervisionTask.objects.yellow(today).filter(pk=task.pk).exists() == (
        expected == "yellow"
    )


def test_remind_goes_to_the_units_liaisons(users, org, campaign):
    task = _task(users, org, campaign)
    notices = services.task_remind(task=task, by=users.office, note="请于明日前答复")
    assert [n.recipient for n in notices] == [users.liaison_lishi]
    reminders = Notification.objects.filter(kind="supervision.remind")
    assert list(reminders.values_list("recipient", flat=True)) == [users.liaison_lishi.pk]
    assert "请于明日前答复" in reminders.get().text
    assert task.events.filter(action=TaskEvent.Action.REMIND).count() == 1
    assert AuditEvent.objects.filter(action="remind", object_id=str(task.pk)).exists()


def test_on_time_needs_the_reply_by_the_deadline(users, org, campaign):
    task = _task(users, org, campaign, deadline=timezone.localdate())
    _to_state(users, task, State.ACCEPTED)
    task = SupervisionTask.objects.select_related("item").get(pk=task.pk)
    assert task.on_time
    task.replied_at = timezone.now() + datetime.timedelta(days=2)
    assert not task.on_time
