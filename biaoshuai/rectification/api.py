"""API: problems and rectification items with their progress (scope rectification:read)."""

from typing import Literal

from django.db.models import Count, Q
from django.utils import timezone
from ninja import Router

from biaoshuai.api import errors
from biaoshuai.api.common import (
    CURSOR_PARAM,
    ERRORS,
    KEY_PARAM,
    LIMIT_PARAM,
    UNIT_PARAM,
    Date,
    Id,
    principal,
    require_scope,
    unit_ref,
)
from biaoshuai.api.pagination import page
from biaoshuai.campaigns.api import campaign_or_current
from biaoshuai.core.scope import VIEW
from biaoshuai.org.api import unit_in_scope

from .models import Problem, RectificationItem
from .schemas import ItemOut, ItemPage, ProblemOut, ProblemPage
from .views.common import can_view

router = Router(tags=["rectification"])
ItemState = Literal[tuple(RectificationItem.State.values)]


@router.get("/problems", response={200: ProblemPage, **ERRORS}, summary="Problems in scope")
def problem_list(
    request,
    unit: Id | None = UNIT_PARAM,
    dimension: str | None = KEY_PARAM,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    require_scope(request, "rectification:read", page=can_view)
    problems = _problems(request).filter(campaign=campaign_or_current())
    if unit is not None:
        problems = problems.filter(unit__path__subtree=unit_in_scope(request, unit).path)
    if dimension:
        problems = problems.filter(dimension=dimension)
    rows, next_cursor = page(problems, cursor=cursor, limit=limit)
    return {"items": [_problem_out(p) for p in rows], "next_cursor": next_cursor}


@router.get("/problems/{problem_id}", response={200: ProblemOut, **ERRORS}, summary="A problem")
def problem_detail(request, problem_id: Id):
    require_scope(request, "rectification:read", page=can_view)
    problem = _problems(request).filter(pk=problem_id).first()
    if problem is None:
        raise errors.not_found()
    return _problem_out(problem)


@router.get("/items", response={200: ItemPage, **ERRORS}, summary="Rectification items")
def item_list(
    request,
    unit: Id | None = UNIT_PARAM,
    state: ItemState | None = None,
    problem: Id | None = None,
    deadline_from: Date | None = None,
    deadline_to: Date | None = None,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    """Progress (0–100) is what the unit last reported; a parent's is the weighted mean of
    its sub-items'."""
    require_scope(request, "rectification:read", page=can_view)
    items = RectificationItem.objects.restrict(principal(request), VIEW).filter(
        campaign=campaign_or_current()
    )
    if unit is not None:
        items = items.filter(unit__path__subtree=unit_in_scope(request, unit).path)
    if state:
        items = items.filter(state=state)
    if problem is not None:
        items = items.filter(problem_id=problem)
    if deadline_from:
        items = items.filter(deadline__gte=deadline_from)
    if deadline_to:
        items = items.filter(deadline__lte=deadline_to)
    rows, next_cursor = page(items.select_related("unit"), cursor=cursor, limit=limit)
    today = timezone.localdate()
    return {"items": [_item_out(i, today) for i in rows], "next_cursor": next_cursor}


@router.get("/items/{item_id}", response={200: ItemOut, **ERRORS}, summary="A rectification item")
def item_detail(request, item_id: Id):
    require_scope(request, "rectification:read", page=can_view)
    item = (
        RectificationItem.objects.restrict(principal(request), VIEW)
        .select_related("unit")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise errors.not_found()
    return _item_out(item, timezone.localdate())


def _problems(request):
    closed = RectificationItem.State.CLOSED
    return (
        Problem.objects.restrict(principal(request), VIEW)
        .select_related("unit")
        .annotate(
            item_count=Count("items"),
            closed_count=Count("items", filter=Q(items__state=closed)),
        )
    )


def _problem_out(problem):
    return {
        "id": problem.pk,
        "unit": unit_ref(problem.unit),
        "dimension": problem.dimension,
        "area": problem.area,
        "description": problem.description,
        "severity": problem.severity,
        "item_count": problem.item_count,
        "closed_count": problem.closed_count,
        "created_at": problem.created_at,
    }


def _item_out(item, today):
    return {
        "id": item.pk,
        "problem_id": item.problem_id,
        "parent_id": item.parent_id,
        "unit": unit_ref(item.unit),
        "dimension": item.dimension,
        "measure": item.measure,
        "kind": item.kind,
        "deadline": item.deadline,
        "state": item.state,
        "progress": item.progress,
        "closed_on": item.closed_on,
        "is_overdue": item.state != RectificationItem.State.CLOSED and item.deadline < today,
        "created_at": item.created_at,
    }
