"""Saving an imported ledger: all rows or none."""

import datetime

from django.db import transaction
from django.utils import timezone

from biaoshuai.audit.services import audit_record

from ..models import ItemLog, Problem, ProblemSource, RectificationItem
from .items import _check_item, item_progress_sync
from .problems import problem_create

IMPORT_LABEL = "整改台账导入"


@transaction.atomic
def ledger_import(*, by, campaign, plan):
    """Create the problems and items of a checked `ledger.LedgerPlan` (no errors) in one
    transaction. A problem already on the campaign's list (same unit, dimension and text)
    takes the new items. Returns (problems created, items created)."""
    if plan.errors:
        raise ValueError("A ledger with errors is not imported.")
    problems, created_problems = {}, 0
    for key, unit in plan.problem_units.items():
        _unit_id, dimension, description = key
        problem = Problem.objects.filter(
            campaign=campaign, unit=unit, dimension=dimension, description=description
        ).first()
        if problem is None:
            problem = problem_create(
                by=by,
                unit=unit,
                campaign=campaign,
                dimension=dimension,
                description=description,
                sources=[(ProblemSource.Kind.DIRECT, "", IMPORT_LABEL)],
            )
            created_problems += 1
        problems[key] = problem
    by_number, parents, created = {}, set(), []
    user = by if by is not None and by.is_authenticated else None
    for planned in plan.items:
        values = dict(planned.values)
        closed_on = values.pop("closed_on")
        parent = by_number.get(planned.parent_number) if planned.parent_number else None
        item = RectificationItem(
            problem=problems[planned.problem_key], parent=parent, created_by=user, **values
        )
        item.copy_from_problem()
        if closed_on is not None:
            item.closed_on = closed_on
            item.closed_at = timezone.make_aware(
                datetime.datetime.combine(closed_on, datetime.time(12))
            )
        _check_item(item)
        item.full_clean()
        item.save()
        created.append(item)
        if parent is not None:
            parents.add(item)
        if planned.number:
            by_number[planned.number] = item
    ItemLog.objects.bulk_create(
        [
            ItemLog(item=i, action=ItemLog.Action.IMPORTED, by=user, note=IMPORT_LABEL)
            for i in created
        ]
    )
    for child in parents:
        item_progress_sync(item=child)
    audit_record(
        actor=by,
        action="import",
        verb="ledger_import",
        object_type="rectification.rectificationitem",
        object_repr=f"{IMPORT_LABEL}（{len(plan.items)}）",
        changes={"problems": created_problems, "items": len(plan.items)},
    )
    return created_problems, len(plan.items)
