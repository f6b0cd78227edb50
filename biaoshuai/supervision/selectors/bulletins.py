"""Reads for bulletins, and the figures a bulletin is generated from.

The ranking comes from assessment (`assessment_ranking`), the figures from the registry's
metrics by unit; this module imports neither app's models.
"""

from django.http import Http404

from biaoshuai.assessment.selectors import assessment_ranking
from biaoshuai.core.figures import FigurePeriod, figure_by_unit
from biaoshuai.core.registry import registry
from biaoshuai.core.scope import VIEW, get_scoped_or_404, scope_for

from ..models import Bulletin
from ..periods import participating_units

# Figures a bulletin names units for, besides the assessment indicators' metrics.
SUPERVISION_OVERDUE = "supervision.overdue"
RECTIFICATION_OVERDUE = "rectification.overdue"
REPORTS_MISSING = "reports.missing"
REPORTS_LATE = "reports.late"
PUBLICITY_PIECES = "publicity.pieces"
CRITICISM_KEYS = [
    SUPERVISION_OVERDUE,
    RECTIFICATION_OVERDUE,
    REPORTS_MISSING,
    REPORTS_LATE,
    PUBLICITY_PIECES,
]
PRAISED_RANKS = 3


def bulletins_visible_to(*, user, state=""):
    """Bulletins the user may read: every one for the office and the leading group, the
    published ones at their disclosure level for everyone else."""
    if scope_for(user, VIEW).all:
        # DisclosableQuerySet.visible_to ORs an empty Q() for "every unit", which Django
        # drops, leaving only the published records: the whole-campaign roles see all here.
        bulletins = Bulletin.objects.in_campaign()
    else:
        bulletins = Bulletin.objects.visible_to(user)
    bulletins = bulletins.select_related("campaign")
    if state:
        bulletins = bulletins.filter(state=state)
    return bulletins.order_by("-period_start", "-pk")


def bulletin_for(*, user, pk):
    """A bulletin the user may read, or 404."""
    try:
        return (
            bulletins_visible_to(user=user).select_related("approved_by", "created_by").get(pk=pk)
        )
    except Bulletin.DoesNotExist as exc:
        raise Http404 from exc


def bulletin_to_manage(*, user, pk):
    return get_scoped_or_404(Bulletin.objects.select_related("campaign"), user, VIEW, pk=pk)


def bulletins_public():
    return Bulletin.objects.public().select_related("campaign").order_by("-published_at", "-pk")


def bulletin_figures(*, campaign, period_start, period_end):
    """What a bulletin says about each participating unit, as plain data (stored as JSON).

    {"ranking": bool, "rows": [{"id", "name", "rank", "total", "indicators": [...]}],
     "metrics": {key: {unit_id (str): value}}, "praised": [ids], "criticised": [{"id", "reasons"}]}
    """
    units = list(participating_units().values_list("pk", "name"))
    unit_ids = [pk for pk, _name in units]
    ranking = _ranking(campaign, period_start, period_end)
    by_unit = {}
    if ranking is not None:
        for row in ranking:
            by_unit[row.unit.pk] = {
                "rank": row.rank,
                "total": _number(row.total),
                "indicators": [
                    {
                        "key": i.key,
                        "name": str(i.name),
                        "weight": _number(i.weight),
                        "value": _number(i.value),
                        "score": _number(i.score),
                    }
                    for i in row.indicators
                ],
            }
    rows = [
        {"id": pk, "name": name, **by_unit.get(pk, {"rank": None, "total": None, "indicators": []})}
        for pk, name in units
    ]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    metrics = {}
    # The period's figures: what happened in it, and stock figures (overdue items) as of its
    # last day, so a bulletin regenerated later still gives that period's numbers.
    period = FigurePeriod(end=period_end, start=period_start)
    for key in _figure_keys(campaign):
        metric = registry.metrics.get(key)
        if metric is None or metric.by_unit is None:
            continue
        values = figure_by_unit(metric, campaign=campaign, unit_ids=unit_ids, period=period)
        metrics[key] = {str(uid): _number(values.get(uid)) for uid in unit_ids}
    praised, criticised = bulletin_verdicts(rows, metrics)
    return {
        "period": period.code,
        "campaign": campaign.pk,
        "ranking": ranking is not None,
        "rows": rows,
        "metrics": metrics,
        "praised": praised,
        "criticised": criticised,
    }


def bulletin_verdicts(rows, metrics):
    """(praised unit ids, [{"id", "reasons"}]) from the ranking rows and the figures.

    Praised: the first PRAISED_RANKS places, ties included, unless every unit ties (then
    nobody stands out). Criticised: the last place (when more units are ranked than are
    praised), units with overdue supervision or rectification items, with missing reports,
    or with no publicity at all. A criticised unit is not praised in the same bulletin.
    """
    ranked = [r for r in rows if r["rank"] is not None]
    praised = [r["id"] for r in ranked if r["rank"] <= PRAISED_RANKS]
    if len(praised) == len(ranked):
        praised = []
    last = max((r["rank"] for r in ranked), default=None)
    reasons = {}
    if last is not None and last > PRAISED_RANKS:
        for r in ranked:
            if r["rank"] == last:
                reasons.setdefault(r["id"], []).append("bottom")
    for key, test in [
        (SUPERVISION_OVERDUE, lambda v: v is not None and v > 0),
        (RECTIFICATION_OVERDUE, lambda v: v is not None and v > 0),
        (REPORTS_MISSING, lambda v: v is not None and v > 0),
        (PUBLICITY_PIECES, lambda v: v is not None and v == 0),
    ]:
        for uid, value in metrics.get(key, {}).items():
            if test(value):
                reasons.setdefault(int(uid), []).append(key)
    order = {r["id"]: index for index, r in enumerate(rows)}
    criticised = [
        {"id": uid, "reasons": why}
        for uid, why in sorted(reasons.items(), key=lambda kv: order.get(kv[0], 0))
    ]
    praised = [uid for uid in praised if uid not in reasons]
    return praised, criticised


def _figure_keys(campaign):
    indicators = (campaign.config or {}).get("lists", {}).get("assessment_indicators", [])
    keys = [i["metric"] for i in indicators if i.get("metric")]
    return list(dict.fromkeys([*keys, *CRITICISM_KEYS]))


def _ranking(campaign, period_start, period_end):
    """assessment's ranking for the period."""
    return list(
        assessment_ranking(campaign=campaign, period_start=period_start, period_end=period_end)
    )


def _number(value):
    if value is None:
        return None
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        return None
    return int(as_float) if as_float == int(as_float) else round(as_float, 2)
