"""督办, reports and bulletins reach who must act, and only within the unit's scope."""

import datetime

import pytest
from django.utils import timezone

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.notifications.models import Notification
from biaoshuai.notifications.services import deadline_reminders_send
from biaoshuai.supervision import services

from .conftest import issue

pytestmark = pytest.mark.django_db


def _who(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def _texts(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind).values_list("text", flat=True)
    )


def test_task_hand_overs(users, org, campaign):
    item = issue(users, [org.lishi, org.zengji], campaign=campaign)
    assert _who("supervision.task") == ["liaison_lishi", "liaison_zengji"]
    task = item.tasks.get(unit=org.lishi)
    assert "李市镇" in _texts(users.liaison_lishi, "supervision.task")[0]
    services.task_sign(task=task, by=users.liaison_lishi)
    services.task_reply(task=task, by=users.liaison_lishi, reply="已完成")
    # The issuer (the office account) is told of the reply.
    assert _texts(users.office, "supervision.task") == ["李市镇已回复督办事项：落实学习计划"]
    task.refresh_from_db()
    services.task_return(task=task, by=users.office, reason="缺少佐证材料")
    assert any("缺少佐证材料" in t for t in _texts(users.liaison_lishi, "supervision.task"))
    services.task_remind(task=task, by=users.office, note="请抓紧")
    assert _who("supervision.remind") == ["liaison_lishi"]
    services.task_reply(task=task, by=users.liaison_lishi, reply="已补充")
    services.task_accept(task=task, by=users.office)
    assert any("已通过" in t for t in _texts(users.liaison_lishi, "supervision.task"))
    assert not any("李市镇" in t for t in _texts(users.liaison_zengji, "supervision.task"))


def test_reply_reaches_the_issuer(users, org, campaign):
    item = services.supervision_item_issue(
        by=users.leader,
        campaign=campaign,
        subject="整改推进",
        requirement="报送材料",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        units=[org.lishi],
    )
    task = item.tasks.get()
    services.task_sign(task=task, by=users.liaison_lishi)
    services.task_reply(task=task, by=users.liaison_lishi, reply="已完成")
    assert any("李市镇已回复" in t for t in _texts(users.leader, "supervision.task"))


def test_deadlines_remind_the_liaisons_once_a_day(users, org, campaign):
    issue(
        users,
        [org.lishi, org.zengji],
        campaign=campaign,
        deadline=timezone.localdate() + datetime.timedelta(days=2),
    )
    deadline_reminders_send()
    deadline_reminders_send()
    assert _who("supervision.deadline") == ["liaison_lishi", "liaison_zengji"]


def test_unit_reports_due_and_late(users, org, campaign):
    today = timezone.localdate()
    deadline_reminders_send()
    late = _texts(users.liaison_lishi, "supervision.report_deadline")
    assert late and all("李市镇" in t for t in late)
    assert all("曾集镇" in t for t in _texts(users.liaison_zengji, "supervision.report_deadline"))
    before = Notification.objects.filter(kind="supervision.report_deadline").count()
    deadline_reminders_send(today=today)
    assert Notification.objects.filter(kind="supervision.report_deadline").count() == before


def test_bulletin_hand_overs(users, org, campaign):
    start = timezone.localdate().replace(day=1)
    bulletin = services.bulletin_generate(
        by=users.office, campaign=campaign, period_start=start, period_end=timezone.localdate()
    )
    services.bulletin_submit(by=users.office, bulletin=bulletin)
    assert _who("supervision.bulletin") == ["leader"]
    services.bulletin_approve(by=users.leader, bulletin=bulletin)
    assert _texts(users.office, "supervision.bulletin")
    services.bulletin_publish(by=users.office, bulletin=bulletin, disclosure=Disclosure.INTERNAL)
    readers = set(_who("supervision.bulletin"))
    assert {"liaison_lishi", "liaison_zengji", "leader", "office"} <= readers
    assert "cadre_lishi" not in readers
