"""The figures supervision gives the registry, by unit, each in a fixed number of queries.

A unit's figure covers the unit and every unit below it (as org's figures do). Each takes
an optional period (period_start, period_end); without one it is the campaign so far.

- supervision.on_time_rate: of the tasks due in the period (deadline within it and passed,
  or already accepted), the share accepted whose accepted reply came by the deadline, in %.
  None when nothing was due.
- supervision.overdue: tasks the unit still owes (issued, signed for, sent back) past their
  deadline today: the red ones (for a past day: the tasks owed and overdue then).
- reports.missing: reporting periods whose due date has passed with no report.
- reports.late: reports that first came in after their due date.
"""

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.org.models import Unit

from ..models import SupervisionTask, UnitReport
from ..periods import participating_units, report_periods


def on_time_rate_by_unit(
    *, campaign=None, unit_ids, period_start=None, period_end=None, today=None
):
    campaign = _campaign(campaign)
    if campaign is None:
        return {}
    today = today or timezone.localdate()
    rows = (
        _tasks_in_period(campaign, period_start, period_end, today)
        .values("unit__path")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(
                    state=SupervisionTask.State.ACCEPTED,
                    replied_at__date__lte=F("item__deadline"),
                ),
            ),
        )
        .order_by()
    )
    due, on_time = _roll_up(unit_ids, rows, "due"), _roll_up(unit_ids, rows, "on_time")
    return {uid: (round(100 * on_time[uid] / due[uid], 1) if due[uid] else None) for uid in due}


def overdue_by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None, today=None):
    campaign = _campaign(campaign)
    if campaign is None:
        return {}
    today = today or timezone.localdate()
    tasks = SupervisionTask.objects.filter(item__campaign=campaign)
    if today >= timezone.localdate():
        tasks = tasks.red(today)
    else:  # as of a past day: owed then, i.e. owed now or replied after it
        tasks = tasks.filter(
            Q(state__in=SupervisionTask.OWED) | Q(replied_at__date__gt=today),
            item__deadline__lt=today,
            created_at__date__lte=today,
        )
    rows = tasks.values("unit__path").annotate(n=Count("pk")).order_by()
    return _roll_up(unit_ids, rows, "n")


def reports_missing_by_unit(
    *, campaign=None, unit_ids, period_start=None, period_end=None, today=None
):
    campaign = _campaign(campaign)
    if campaign is None:
        return {}
    today = today or timezone.localdate()
    periods = [p for p in _periods(campaign, period_start, period_end, today) if p.due_on < today]
    reporting = list(participating_units().values_list("pk", "path"))
    submitted = set(
        UnitReport.objects.filter(
            campaign=campaign, period_start__in=[p.start for p in periods]
        ).values_list("unit_id", "period_start")
    )
    rows = [
        {"unit__path": path, "n": sum((pk, p.start) not in submitted for p in periods)}
        for pk, path in reporting
    ]
    return _roll_up(unit_ids, rows, "n")


def reports_late_by_unit(
    *, campaign=None, unit_ids, period_start=None, period_end=None, today=None
):
    campaign = _campaign(campaign)
    if campaign is None:
        return {}
    today = today or timezone.localdate()
    starts = [p.start for p in _periods(campaign, period_start, period_end, today)]
    rows = (
        UnitReport.objects.filter(
            campaign=campaign, period_start__in=starts, first_submitted_at__date__gt=F("due_on")
        )
        .values("unit__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _roll_up(unit_ids, rows, "n")


def _tasks_in_period(campaign, period_start, period_end, today):
    start = period_start or campaign.starts_on
    end = period_end or today
    due = Q(item__deadline__lt=today) | Q(state=SupervisionTask.State.ACCEPTED)
    return SupervisionTask.objects.filter(
        Q(item__campaign=campaign, item__deadline__gte=start, item__deadline__lte=end) & due
    )


def _periods(campaign, period_start, period_end, today):
    start = period_start or datetime.date.min
    end = period_end or datetime.date.max
    return [p for p in report_periods(campaign, today) if start <= p.start and p.end <= end]


def _roll_up(unit_ids, rows, field):
    """{unit_id: sum of `field` over rows whose unit is the unit or below it}."""
    paths = dict(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "path"))
    rows = list(rows)
    return {
        uid: sum(row[field] for row in rows if row["unit__path"].startswith(path))
        for uid, path in paths.items()
    }


def _campaign(campaign):
    return campaign if campaign is not None else campaign_current()
