"""Writes: every change to problems, items, plans and notices goes through these services."""

from .items import (
    ALLOWED,
    deadline_change_decide,
    deadline_change_request,
    item_close,
    item_create,
    item_progress_sync,
    item_return,
    item_start,
    item_submit,
    progress_record,
)
from .ledger import ledger_import
from .notices import item_deadlines, item_recipients, measure_deadlines
from .plans import (
    plan_action_record,
    plan_measure_add,
    plan_measure_remove,
    plan_problem_add,
    plan_problem_remove,
    plan_review,
    plan_start,
    plan_submit,
)
from .problems import problem_create, problem_source_add, problem_update

__all__ = [
    "item_deadlines",
    "item_recipients",
    "measure_deadlines",
    "ALLOWED",
    "deadline_change_decide",
    "deadline_change_request",
    "item_close",
    "item_create",
    "item_progress_sync",
    "item_return",
    "item_start",
    "item_submit",
    "ledger_import",
    "plan_action_record",
    "plan_measure_add",
    "plan_measure_remove",
    "plan_problem_add",
    "plan_problem_remove",
    "plan_review",
    "plan_start",
    "plan_submit",
    "problem_create",
    "problem_source_add",
    "problem_update",
    "progress_record",
]
