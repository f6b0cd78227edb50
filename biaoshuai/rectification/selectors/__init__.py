"""Reads: the problem list, the ledger, items, plans, the public board, metrics."""

from .items import (
    LedgerPaginator,
    board_problems,
    board_summary,
    deadline_changes_pending,
    item_record,
    items_needing_attention,
    ledger_export_rows,
    ledger_items,
    ledger_page,
)
from .plans import (
    plan_completion_by_cadre,
    plan_completion_by_unit,
    plan_for,
    plan_full,
    plans_visible_to,
    self_check_problems,
)
from .problems import problem_items, problem_with_sources, problems_for_sources, problems_visible_to

__all__ = [
    "board_problems",
    "board_summary",
    "deadline_changes_pending",
    "item_record",
    "items_needing_attention",
    "LedgerPaginator",
    "ledger_export_rows",
    "ledger_items",
    "ledger_page",
    "plan_completion_by_cadre",
    "plan_completion_by_unit",
    "plan_for",
    "plan_full",
    "plans_visible_to",
    "problem_items",
    "problem_with_sources",
    "problems_for_sources",
    "problems_visible_to",
    "self_check_problems",
]
