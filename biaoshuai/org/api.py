"""API: the units the caller may see (scope org:read)."""

from ninja import Query, Router

from biaoshuai.api import errors
from biaoshuai.api.common import (
    CURSOR_PARAM,
    ERRORS,
    LIMIT_PARAM,
    Id,
    principal,
    require_scope,
)
from biaoshuai.api.pagination import page
from biaoshuai.core.permissions import can_view_units
from biaoshuai.core.scope import VIEW, unit_admin_action

from .models import Unit
from .schemas import UnitOut, UnitPage

router = Router(tags=["org"])
PARENT_PARAM = Query(None, description="Only the units directly under this one")


def unit_in_scope(request, unit_id):
    """The unit if the caller may see it, else 404 (the same as a unit that does not exist)."""
    if unit_id is None:
        return None
    who = principal(request)
    unit = Unit.objects.restrict(who, unit_admin_action(who, VIEW)).filter(pk=unit_id).first()
    if unit is None:
        raise errors.not_found()
    return unit


@router.get("/units", response={200: UnitPage, **ERRORS}, summary="Units in scope")
def unit_list(
    request,
    parent: Id | None = PARENT_PARAM,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    require_scope(request, "org:read", page=can_view_units)
    who = principal(request)
    units = Unit.objects.restrict(who, unit_admin_action(who, VIEW))  # as the units page
    if parent is not None:
        units = units.filter(parent=unit_in_scope(request, parent))
    rows, next_cursor = page(units, cursor=cursor, limit=limit, key=("id",))
    return {"items": rows, "next_cursor": next_cursor}


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="One unit")
def unit_detail(request, unit_id: Id):
    require_scope(request, "org:read", page=can_view_units)
    return unit_in_scope(request, unit_id)
