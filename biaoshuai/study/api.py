"""API: study completion by unit (scope stats:read), from the precomputed figures."""

from typing import Literal

from ninja import Router

from biaoshuai.api.common import (
    CURSOR_PARAM,
    ERRORS,
    LIMIT_PARAM,
    UNIT_PARAM,
    Id,
    principal,
    require_scope,
)
from biaoshuai.api.pagination import page
from biaoshuai.campaigns.api import campaign_or_current
from biaoshuai.core.scope import VIEW
from biaoshuai.org.api import unit_in_scope

from .models import StudyCompletion
from .schemas import CompletionPage
from .views import can_oversee

router = Router(tags=["study"])


@router.get(
    "/completion", response={200: CompletionPage, **ERRORS}, summary="Study completion by unit"
)
def completion_list(
    request,
    column: Literal["completion", "attendance", "deliverables"] = "completion",
    campaign: Id | None = None,
    unit: Id | None = UNIT_PARAM,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    """Each unit's figure counts the cadres of the unit and of every unit below it:
    attendance = present / expected; deliverables = accepted / owed; completion = their mean."""
    require_scope(request, "stats:read", page=can_oversee)
    rows = StudyCompletion.objects.restrict(principal(request), VIEW).filter(
        campaign=campaign_or_current(campaign), column=column
    )
    if unit is not None:
        rows = rows.filter(unit__path__subtree=unit_in_scope(request, unit).path)
    items, next_cursor = page(rows.select_related("unit"), cursor=cursor, limit=limit, key=("id",))
    return {"items": items, "next_cursor": next_cursor}
