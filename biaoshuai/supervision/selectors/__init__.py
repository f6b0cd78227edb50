"""Reads for supervision, always within the user's scope."""

from .bulletins import (
    bulletin_figures,
    bulletin_for,
    bulletin_verdicts,
    bulletins_public,
    bulletins_visible_to,
)
from .inspections import finding_for, inspection_detail, inspections_visible_to
from .items import items_visible_to, reminders_for, task_detail, tasks_visible_to
from .reports import (
    Cell,
    report_detail,
    report_rows,
    report_units,
    reports_visible_to,
)

__all__ = [
    "Cell",
    "bulletin_figures",
    "bulletin_for",
    "bulletin_verdicts",
    "bulletins_public",
    "bulletins_visible_to",
    "finding_for",
    "inspection_detail",
    "inspections_visible_to",
    "items_visible_to",
    "reminders_for",
    "report_detail",
    "report_rows",
    "report_units",
    "reports_visible_to",
    "task_detail",
    "tasks_visible_to",
]
