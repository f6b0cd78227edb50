"""API: publicity points by unit (scope stats:read): confirmed pieces, each scored once at
its best appearance under the campaign's point rules."""

from django.db.models import Count, Sum
from ninja import Router

from biaoshuai.api.common import (
    CURSOR_PARAM,
    ERRORS,
    LIMIT_PARAM,
    UNIT_PARAM,
    Date,
    Id,
    principal,
    require_scope,
)
from biaoshuai.api.pagination import page
from biaoshuai.campaigns.api import campaign_or_current
from biaoshuai.core.permissions import can_view_org
from biaoshuai.core.scope import VIEW
from biaoshuai.org.api import unit_in_scope

from .models import Publication
from .schemas import UnitPointsPage

router = Router(tags=["publicity"])


@router.get("/points", response={200: UnitPointsPage, **ERRORS}, summary="Points by unit")
def points_list(
    request,
    published_from: Date | None = None,
    published_to: Date | None = None,
    unit: Id | None = UNIT_PARAM,
    campaign: Id | None = None,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    """Each unit's own confirmed pieces (not its sub-units'), by first publication date."""
    require_scope(request, "stats:read", page=can_view_org)
    pieces = Publication.objects.restrict(principal(request), VIEW).filter(
        campaign=campaign_or_current(campaign), state=Publication.State.CONFIRMED
    )
    if unit is not None:
        pieces = pieces.filter(unit__path__subtree=unit_in_scope(request, unit).path)
    if published_from:
        pieces = pieces.filter(published_on__gte=published_from)
    if published_to:
        pieces = pieces.filter(published_on__lte=published_to)
    rows = pieces.values("unit_id", "unit__name").annotate(points=Sum("points"), pieces=Count("id"))
    items, next_cursor = page(rows, cursor=cursor, limit=limit, key=("unit_id",))
    return {
        "items": [
            {
                "unit": {"id": r["unit_id"], "name": r["unit__name"]},
                "points": r["points"] or 0,
                "pieces": r["pieces"],
            }
            for r in items
        ],
        "next_cursor": next_cursor,
    }
