"""Reads for unit reports: the units × periods table, and reports awaiting review."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from biaoshuai.core.scope import VIEW, get_scoped_or_404

from ..models import UnitReport, UnitReportAttachment
from ..periods import participating_units, report_periods


class Cell:
    """What the table shows for a unit and a period."""

    ON_TIME = "on_time"  # 已报
    LATE = "late"  # 迟报
    MISSING = "missing"  # 未报: due date passed, nothing in
    PENDING = "pending"  # 待报: not yet due

    LABELS = {
        ON_TIME: pgettext_lazy("unit report cell", "Submitted"),
        LATE: pgettext_lazy("unit report cell", "Late"),
        MISSING: pgettext_lazy("unit report cell", "Missing"),
        PENDING: pgettext_lazy("unit report cell", "Not yet due"),
    }


@dataclass
class ReportCell:
    period: object
    report: UnitReport | None
    status: str

    @property
    def label(self):
        return Cell.LABELS[self.status]


def cell_status(report, period, today):
    if report is None:
        return Cell.MISSING if period.due_on < today else Cell.PENDING
    return Cell.LATE if report.is_late else Cell.ON_TIME


def report_units(*, user):
    """The participating units in the user's scope: the rows of the table (paginate these)."""
    return participating_units().restrict(user, VIEW)


def report_rows(*, campaign, units, today=None, periods=None):
    """[(unit, [ReportCell per period])] for a page of units, in one query."""
    today = today or timezone.localdate()
    periods = periods if periods is not None else report_periods(campaign, today)
    units = list(units)
    reports = {
        (r.unit_id, r.period_start): r
        for r in UnitReport.objects.filter(
            campaign=campaign,
            unit__in=[u.pk for u in units],
            period_start__in=[p.start for p in periods],
        )
    }
    rows = []
    for unit in units:
        cells = []
        for period in periods:
            report = reports.get((unit.pk, period.start))
            cells.append(ReportCell(period, report, cell_status(report, period, today)))
        rows.append((unit, cells))
    return rows


def reports_visible_to(*, user, campaign, state="", unit=None):
    reports = (
        UnitReport.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .select_related("unit", "submitted_by")
        .annotate(attachment_count=Count("attachments"))
    )
    if state:
        reports = reports.filter(state=state)
    if unit is not None:
        reports = reports.filter(unit__path__subtree=unit.path)
    return reports.order_by("-period_start", "unit__path", "pk")


def report_detail(*, user, pk, action=VIEW):
    queryset = UnitReport.objects.select_related(
        "unit", "campaign", "submitted_by", "reviewed_by"
    ).prefetch_related(
        Prefetch("attachments", queryset=UnitReportAttachment.objects.order_by("pk"))
    )
    return get_scoped_or_404(queryset, user, action, pk=pk)
