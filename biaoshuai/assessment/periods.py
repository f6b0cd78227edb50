"""Assessment periods: a month, a quarter, a year or any custom span of days.

The period picker sends `period=month&month=2026-03`, `period=quarter&quarter=2026-2`,
`period=year&year=2026` or `period=custom&start=2026-01-01&end=2026-03-31`.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = (MONTH, QUARTER, YEAR, CUSTOM)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str = CUSTOM

    @property
    def label(self):
        if self.kind == MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("Q%(quarter)d %(year)d") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def quarter_key(self):
        return f"{self.start.year}-{(self.start.month - 1) // 3 + 1}"

    def query(self):
        """The query string that selects this period."""
        if self.kind == MONTH:
            return f"period=month&month={self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"period=quarter&quarter={self.quarter_key}"
        if self.kind == YEAR:
            return f"period=year&year={self.start.year}"
        return f"period=custom&start={self.start:%Y-%m-%d}&end={self.end:%Y-%m-%d}"


def period_of(start, end):
    """The Period for a stored span, with its kind recognised."""
    last_day = calendar.monthrange(end.year, end.month)[1]
    if start.day == 1 and end.day == last_day:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return Period(start, end, MONTH)
        if months == 3 and start.month % 3 == 1:
            return Period(start, end, QUARTER)
        if months == 12 and start.month == 1:
            return Period(start, end, YEAR)
    return Period(start, end, CUSTOM)


def month_period(day):
    start = day.replace(day=1)
    return Period(start, start.replace(day=calendar.monthrange(day.year, day.month)[1]), MONTH)


def period_from_query(params, default=None):
    """The period the query asks for; `default` (or this month) when it asks for none or
    gives values that do not parse."""
    fallback = default or month_period(timezone.localdate())
    kind = params.get("period", "")
    try:
        if kind == MONTH:
            year, month = (int(x) for x in params.get("month", "").split("-"))
            return month_period(datetime.date(year, month, 1))
        if kind == QUARTER:
            year, quarter = (int(x) for x in params.get("quarter", "").split("-"))
            if not 1 <= quarter <= 4:
                return fallback
            start = datetime.date(year, quarter * 3 - 2, 1)
            end_month = quarter * 3
            end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
            return Period(start, end, QUARTER)
        if kind == YEAR:
            year = int(params.get("year", ""))
            return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), YEAR)
        if kind == CUSTOM:
            start = datetime.date.fromisoformat(params.get("start", ""))
            end = datetime.date.fromisoformat(params.get("end", ""))
            if end < start:
                return fallback
            return period_of(start, end)
    except (TypeError, ValueError):
        return fallback
    return fallback


def campaign_months(campaign, today=None):
    """The month periods from the campaign's start to this month (or its end), oldest first."""
    today = today or timezone.localdate()
    last = min(today, campaign.ends_on)
    months, day = [], campaign.starts_on.replace(day=1)
    while day <= last:
        months.append(month_period(day))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months
