"""Unit report periods, late and missing reports, review, and the figures by unit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from biaoshuai.org.models import Unit
from biaoshuai.org.services import unit_create
from biaoshuai.supervision import services
from biaoshuai.supervision.models import UnitReport
from biaoshuai.supervision.periods import participating_units, period_for, report_periods
from biaoshuai.supervision.selectors import report_rows
from biaoshuai.supervision.selectors.figures import (
    reports_late_by_unit,
    reports_missing_by_unit,
)
from biaoshuai.supervision.selectors.reports import Cell
from biaoshuai.supervision.services import reports as report_services

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _at(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def test_periods_from_the_campaign_start_to_today(campaign):
    today = datetime.date(
        campaign.starts_on.year + (campaign.starts_on.month + 2) // 12,
        (campaign.starts_on.month + 2 - 1) % 12 + 1,
        10,
    )
    periods = report_periods(campaign, today)
    assert len(periods) == 3
    first = periods[0]
    assert first.start == campaign.starts_on.replace(day=1)
    assert (
        first.end.month == first.start.month and (first.end + datetime.timedelta(days=1)).day == 1
    )
    assert first.due_on == first.start.replace(day=25)
    assert periods[-1].start == today.replace(day=1)


def test_due_day_clamped_and_quarterly(campaign):
    campaign.config["reporting"]["unit_report"] = {"frequency": "monthly", "due_day": 31}
    feb = [p for p in report_periods(campaign, campaign.ends_on) if p.start.month == 2][0]
    assert feb.due_on.day in (28, 29)
    campaign.config["reporting"]["unit_report"] = {"frequency": "quarterly", "due_day": 20}
    periods = report_periods(campaign, campaign.starts_on + datetime.timedelta(days=200))
    assert (periods[0].end.month - periods[0].start.month) % 12 == 2
    assert periods[0].due_on == periods[0].end.replace(day=20)


def test_participating_units(org):
    agency = unit_create(
        by=None, name="县人社局", kind=Unit.Kind.COUNTY_AGENCY, parent=org.department
    )
    names = set(participating_units().values_list("name", flat=True))
    assert names == {"李市镇", "曾集镇", agency.name}  # not the root, not sub-units


def test_on_time_late_missing_pending(users, org, campaign):
    periods = report_periods(campaign)
    first, second, current = periods[0], periods[1], periods[-1]
    services.unit_report_submit(
        by=users.liaison_lishi,
        campaign=campaign,
        unit=org.lishi,
        period_start=first.start,
        text="本月情况",
        now=_at(first.due_on),
    )
    services.unit_report_submit(
        by=users.liaison_lishi,
        campaign=campaign,
        unit=org.lishi,
        period_start=second.start,
        text="本月情况",
        now=_at(second.due_on + datetime.timedelta(days=1)),
    )
    rows = dict(report_rows(campaign=campaign, units=[org.lishi, org.zengji], periods=periods))
    lishi = [c.status for c in rows[org.lishi]]
    zengji = [c.status for c in rows[org.zengji]]
    assert lishi[0] == Cell.ON_TIME and lishi[1] == Cell.LATE
    assert zengji[0] == Cell.MISSING and zengji[1] == Cell.MISSING
    today = timezone.localdate()
    assert zengji[-1] == (Cell.MISSING if current.due_on < today else Cell.PENDING)
    missing = reports_missing_by_unit(
        campaign=campaign, unit_ids=[org.lishi.pk, org.zengji.pk, org.department.pk]
    )
    due = len([p for p in periods if p.due_on < today])
    assert missing[org.zengji.pk] == due
    assert missing[org.lishi.pk] == due - 2
    assert missing[org.department.pk] == 2 * due - 2  # the root sums the units below it
    late = reports_late_by_unit(campaign=campaign, unit_ids=[org.lishi.pk, org.zengji.pk])
    assert late == {org.lishi.pk: 1, org.zengji.pk: 0}


def test_a_second_report_is_refused_until_returned(users, org, campaign):
    period = report_periods(campaign)[0]
    kwargs = dict(
        by=users.liaison_lishi, campaign=campaign, unit=org.lishi, period_start=period.start
    )
    report = services.unit_report_submit(text="第一稿", now=_at(period.due_on), **kwargs)
    with pytest.raises(ValidationError) as exc:
        services.unit_report_submit(text="第二稿", **kwargs)
    assert str(report_services.ALREADY_SUBMITTED) in exc.value.messages
    services.unit_report_return(by=users.office, report=report, comment="请补充数据")
    again = services.unit_report_submit(text="补充稿", **kwargs)
    assert again.pk == report.pk and again.state == UnitReport.State.SUBMITTED
    assert again.text == "补充稿" and not again.is_late  # lateness from the first submission


def test_review_and_return_transitions(users, org, campaign):
    period = report_periods(campaign)[0]
    report = services.unit_report_submit(
        by=users.liaison_lishi,
        campaign=campaign,
        unit=org.lishi,
        period_start=period.start,
        text="情况",
    )
    with pytest.raises(ValidationError):
        services.unit_report_return(by=users.office, report=report, comment="")
    services.unit_report_review(by=users.office, report=report, comment="很好")
    for action in (services.unit_report_review, services.unit_report_return):
        with pytest.raises(ValidationError):
            action(by=users.office, report=report, comment="x")
    report.refresh_from_db()
    assert report.state == UnitReport.State.REVIEWED and report.review_comment == "很好"


def test_submit_refuses_bad_period_and_non_participating_unit(users, org, campaign):
    with pytest.raises(ValidationError) as exc:
        services.unit_report_submit(
            by=users.liaison_lishi,
            campaign=campaign,
            unit=org.lishi,
            period_start=campaign.starts_on.replace(day=2),
            text="x",
        )
    assert str(report_services.NOT_A_PERIOD) in exc.value.messages
    period = report_periods(campaign)[0]
    with pytest.raises(ValidationError) as exc:
        services.unit_report_submit(
            by=users.liaison_lishi,
            campaign=campaign,
            unit=org.lishi_sub,
            period_start=period.start,
            text="x",
        )
    assert str(report_services.NOT_PARTICIPATING) in exc.value.messages
    future = period_for(campaign, campaign.ends_on.replace(day=1))
    assert future is None  # periods stop at today
