"""Reporting periods derived from the campaign's schedule, and the units that report.

campaign.config["reporting"]["unit_report"] =
{frequency: weekly | monthly | quarterly, due_day: N}:
a period is a calendar month (or quarter) from the month the campaign starts; its report is
due on day N of the period's last month (每月N日前报送本月情况; the month's last day when
N is larger). Weekly: a period is a week (Monday to Sunday) from the week the campaign
starts, due on day N of that week (1 = Monday … 7 = Sunday).

campaign.config["reporting"]["bulletin"] = {frequency: monthly | quarterly, due_day: N,
issuer, number_prefix}: a bulletin covers the month (or the quarter) picked, is due on day
N of the month after its period, and carries the issuer and number prefix given.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from biaoshuai.org.models import Unit

# The kinds of unit that take part and report: townships, county agencies, and departments
# below the root (the root department runs the campaign and receives the reports).
PARTICIPATING_KINDS = (Unit.Kind.TOWNSHIP, Unit.Kind.COUNTY_AGENCY, Unit.Kind.DEPARTMENT)
DEFAULT_SCHEDULE = {"frequency": "monthly", "due_day": 25}
MONTHS = {"monthly": 1, "quarterly": 3}
WEEKLY = "weekly"
WEEK = datetime.timedelta(days=7)
ONE_DAY = datetime.timedelta(days=1)
DEFAULT_BULLETIN = {"frequency": "monthly", "due_day": 5}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date
    weekly: bool = False

    @property
    def key(self):
        return f"{self.start:%Y-%m-%d}" if self.weekly else f"{self.start:%Y-%m}"

    @property
    def label(self):
        if self.weekly:
            return f"{self.start.year}年{self.start.month}月{self.start.day}日—{self.end.month}月{self.end.day}日"
        if self.start.month == self.end.month:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年{self.start.month}—{self.end.month}月"


def participating_units():
    """Active townships, county agencies and departments below the root, in tree order."""
    return Unit.objects.filter(
        is_active=True, kind__in=PARTICIPATING_KINDS, parent__isnull=False
    ).order_by("path")


def schedule(campaign):
    config = (campaign.config or {}).get("reporting", {}).get("unit_report") or {}
    return {**DEFAULT_SCHEDULE, **config}


def report_periods(campaign, today=None):
    """The periods from the campaign's start up to the one containing `today`, oldest first."""
    today = today or timezone.localdate()
    rules = schedule(campaign)
    due_day = int(rules["due_day"])
    periods = []
    last = min(today, campaign.ends_on)
    if rules["frequency"] == WEEKLY:
        start = campaign.starts_on - datetime.timedelta(days=campaign.starts_on.weekday())
        offset = datetime.timedelta(days=min(due_day, 7) - 1)
        while start <= last:
            periods.append(Period(start, start + WEEK - ONE_DAY, start + offset, weekly=True))
            start += WEEK
        return periods
    step = MONTHS.get(rules["frequency"], 1)
    start = campaign.starts_on.replace(day=1)
    while start <= last:
        end = _add_months(start, step) - ONE_DAY
        periods.append(Period(start, end, _due(end, due_day)))
        start = _add_months(start, step)
    return periods


def period_start_parse(text):
    """The first day of the period named by `text` (a Period.key), or None."""
    try:
        parts = [int(x) for x in text.split("-")]
        return datetime.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    except (ValueError, TypeError, IndexError):
        return None


def bulletin_schedule(campaign):
    config = (campaign.config or {}).get("reporting", {}).get("bulletin") or {}
    return {**DEFAULT_BULLETIN, **config}


def bulletin_period(campaign, month):
    """(start, end) of the bulletin covering `month` (its first day): that month, or the
    quarter of the year it falls in when bulletins are quarterly."""
    if bulletin_schedule(campaign)["frequency"] == "quarterly":
        start = month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)
        return start, _add_months(start, 3) - ONE_DAY
    start = month.replace(day=1)
    return start, _add_months(start, 1) - ONE_DAY


def bulletin_due_on(campaign, period_end):
    """When the bulletin of a period ending on `period_end` is due: day N of the next month."""
    following = period_end + ONE_DAY
    return _due(following, int(bulletin_schedule(campaign)["due_day"]))


def period_for(campaign, start, today=None):
    """The period starting on `start`, or None when the schedule has no such period."""
    return next((p for p in report_periods(campaign, today) if p.start == start), None)


def _due(period_end, due_day):
    """Day `due_day` of the period's last month, clamped to that month's length."""
    month = period_end.replace(day=1)
    last_day = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(due_day, last_day))


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
