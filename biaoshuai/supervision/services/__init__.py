"""Writes for supervision: items and tasks, inspections, unit reports, bulletins."""

from .bulletins import (
    bulletin_approve,
    bulletin_generate,
    bulletin_publish,
    bulletin_return,
    bulletin_submit,
    bulletin_update,
)
from .inspections import finding_add, finding_to_item, finding_to_problem, inspection_create
from .items import (
    supervision_item_issue,
    task_accept,
    task_remind,
    task_reply,
    task_return,
    task_sign,
)
from .reports import unit_report_return, unit_report_review, unit_report_submit

__all__ = [
    "bulletin_approve",
    "bulletin_generate",
    "bulletin_publish",
    "bulletin_return",
    "bulletin_submit",
    "bulletin_update",
    "finding_add",
    "finding_to_item",
    "finding_to_problem",
    "inspection_create",
    "supervision_item_issue",
    "task_accept",
    "task_remind",
    "task_reply",
    "task_return",
    "task_sign",
    "unit_report_return",
    "unit_report_review",
    "unit_report_submit",
]
