"""Periodic work goes through every campaign under way, not only the default one."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from biaoshuai.assessment.models import ScorePeriod
from biaoshuai.notifications.models import Notification
from biaoshuai.opinions.services import opinion_assign, opinion_record
from biaoshuai.ops import scheduler
from biaoshuai.study.models import StudyCompletion

from .factories import campaign_create, campaign_variant

pytestmark = pytest.mark.django_db


def _weekly(data):
    data["reporting"]["unit_report"] = {"frequency": "weekly", "due_day": 5}


@pytest.fixture
def campaigns(users):
    """The default campaign (monthly reports), a short weekly one beside it, and an ended one."""
    first = campaign_create(starts_on=datetime.date(2026, 1, 1), make_current=True)
    second = campaign_variant(_weekly, key="short", starts_on=datetime.date(2026, 10, 1))
    ended = campaign_create(starts_on=datetime.date(2020, 1, 1))
    today = timezone.localdate()
    assert first.is_under_way(today) and second.is_under_way(today)
    assert not ended.is_under_way(today)
    return first, second, ended


def _run(job_name):
    return scheduler.job_get(job_name).call()


def test_the_daily_reminders_cover_every_campaign_under_way(org, users, campaigns):
    first, second, ended = campaigns
    today = timezone.localdate()
    for campaign in (first, second):
        opinion, _code = opinion_record(
            by=users.office,
            campaign=campaign,
            channel="hotline",
            received_on=today,
            content=f"{campaign.pk}号活动：路灯不亮",
        )
        opinion_assign(
            opinion=opinion,
            by=users.office,
            unit=org.lishi,
            deadline=today + datetime.timedelta(days=2),
        )
    output = _run("notifications_daily")
    assert "sent" in output
    for kind in ("opinions.deadline", "supervision.report_deadline"):
        notices = Notification.objects.filter(kind=kind, recipient=users.liaison_lishi)
        assert set(notices.values_list("campaign", flat=True)) == {first.pk, second.pk}, kind
    # The weekly campaign's report of this week (due Friday 11-20) is among them; the
    # ended campaign owes nothing.
    weekly = Notification.objects.filter(kind="supervision.report_deadline", campaign=second)
    assert any("11月16日—11月22日" in n.text and "2026-11-20" in n.text for n in weekly)
    assert not Notification.objects.filter(campaign=ended).exists()
    # Once a day.
    assert "sent: 0" in _run("notifications_daily")


def test_figures_and_scores_are_computed_for_every_campaign_under_way(org, users, campaigns):
    first, second, ended = campaigns
    output = _run("study_refresh")
    assert str(first) in output and output.count("figures computed") == 2
    assert set(StudyCompletion.objects.values_list("campaign", flat=True)) <= {first.pk, second.pk}

    output = _run("assessment_compute")
    assert output.count("units") == 2
    computed = set(ScorePeriod.objects.values_list("campaign", flat=True))
    assert computed == {first.pk, second.pk}

    # One campaign named: that one only, under way or not.
    call_command("assessment_compute", "--campaign", str(ended.pk), stdout=io.StringIO())
    assert ScorePeriod.objects.filter(campaign=ended).count() == 1


def test_without_a_campaign_under_way_the_jobs_say_so(db):
    assert "No campaign is under way" in _run("study_refresh")
    assert "No campaign is under way" in _run("assessment_compute")


def test_the_mailbox_goes_to_the_latest_campaign_under_way_that_takes_mail(users):
    from biaoshuai.opinions.mailbox import mailbox_campaign

    from .factories import channels_without_roles

    first = campaign_create(starts_on=datetime.date(2026, 1, 1), make_current=True)
    campaign_variant(
        lambda d: channels_without_roles(d, keep=("api",)),
        key="no_mail",
        starts_on=datetime.date(2026, 10, 1),
    )
    assert mailbox_campaign() == first  # the later one declares no mailbox channel
    latest = campaign_variant(lambda d: None, key="mail", starts_on=datetime.date(2026, 11, 1))
    assert mailbox_campaign() == latest
