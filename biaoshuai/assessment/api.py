"""API: the units' assessment scores for a computed period (scope stats:read)."""

from ninja import Router

from biaoshuai.api import errors
from biaoshuai.api.common import (
    CURSOR_PARAM,
    ERRORS,
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
from biaoshuai.core.figures import FigurePeriod, figure_safe
from biaoshuai.core.registry import registry
from biaoshuai.core.scope import VIEW, scope_for
from biaoshuai.org.api import unit_in_scope

from .models import ScoreSnapshot
from .schemas import FigureList, ScorePage
from .selectors import score_period_get, score_period_latest
from .views import can_view_assessment

router = Router(tags=["assessment"])


@router.get("/scores", response={200: ScorePage, **ERRORS}, summary="Assessment scores")
def score_list(
    request,
    period_start: Date | None = None,
    period_end: Date | None = None,
    unit: Id | None = UNIT_PARAM,
    campaign: Id | None = None,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    """Best rank first. Without a period: the latest month computed. Totals are 0–100."""
    require_scope(request, "stats:read", page=can_view_assessment)
    campaign = campaign_or_current(campaign)
    if period_start and period_end:
        period = score_period_get(
            campaign=campaign, period_start=period_start, period_end=period_end
        )
    else:
        period = score_period_latest(campaign=campaign)
    if period is None:
        raise errors.not_found()
    snapshots = ScoreSnapshot.objects.restrict(principal(request), VIEW).filter(period=period)
    if unit is not None:
        snapshots = snapshots.filter(unit__path__subtree=unit_in_scope(request, unit).path)
    rows, next_cursor = page(
        snapshots.select_related("unit"), cursor=cursor, limit=limit, key=("rank", "id")
    )
    return {"items": [_out(s) for s in rows], "next_cursor": next_cursor}


@router.get("/figures", response={200: FigureList, **ERRORS}, summary="Figures")
def figure_list(
    request,
    period: str = "",
    unit: Id | None = UNIT_PARAM,
    campaign: Id | None = None,
):
    """The registered figures for a period (`YYYY-MM`, or `YYYY-MM-DD` for "as of"; by
    default as of today), for one unit's subtree or the caller's whole scope: the values
    the home page, dashboard, assessment and bulletins show."""
    require_scope(request, "stats:read", page=lambda user: not scope_for(user).empty)
    campaign = campaign_or_current(campaign)
    who = principal(request)
    target = unit_in_scope(request, unit)
    figure_period = FigurePeriod.parse(period)
    items = []
    for metric in sorted(registry.metrics.values(), key=lambda m: m.order):
        if metric.param:
            continue
        kwargs = {"campaign": campaign, "period": figure_period, "user": who}
        if target is not None:
            kwargs["unit_id"] = target.pk
        fig = figure_safe(metric, **kwargs)
        if fig is None or (metric.by_unit is None and target is not None):
            continue
        items.append(
            {
                "metric": metric.key,
                "label": str(metric.label),
                "campaign": fig.campaign_id or None,
                "unit": str(fig.unit),
                "period": fig.period.code,
                "value": None if fig.value is None else float(fig.value),
            }
        )
    return {"items": items}


def _out(snapshot):
    return {
        "id": snapshot.pk,
        "unit": unit_ref(snapshot.unit),
        "period_start": snapshot.period_start,
        "period_end": snapshot.period_end,
        "total": float(snapshot.total),
        "rank": snapshot.rank,
        "indicators": [
            {
                "key": str(i.get("key", "")),
                "name": str(i.get("name", "")),
                "weight": _number(i.get("weight")),
                "percent": _number(i.get("percent")),
                "points": _number(i.get("points")),
            }
            for i in snapshot.detail.get("indicators", [])
        ],
        "computed_at": snapshot.computed_at,
    }


def _number(value):
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
