"""Reporting periods derived from the campaign's schedule, and the units that report.

campaign.config["reporting"]["unit_report"] = {frequency: monthly | quarterly, due_day: N}:
a period is a calendar month (or quarter) from the month the campaign starts; its report is
due on day N of the period's last month (每月N日前报送本月情况; the month's last day when
N is larger).
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


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date

    @property
    def key(self):
        return f"{self.start:%Y-%m}"

    @property
    def label(self):
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
    step = MONTHS.get(rules["frequency"], 1)
    due_day = int(rules["due_day"])
    periods = []
    start = campaign.starts_on.replace(day=1)
    last = min(today, campaign.ends_on)
    while start <= last:
        end = _add_months(start, step) - datetime.timedelta(days=1)
        periods.append(Period(start, end, _due(end, due_day)))
        start = _add_months(start, step)
    return periods


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
