"""Reads for assessment: the ranking (from the stored snapshot when there is one), a
unit's score with how it was reached, the manual scores, the home panel and dashboard."""

from django.db.models import Q

from biaoshuai.core.scope import VIEW, scope_for

from .models import ManualScore, ScorePeriod, ScoreSnapshot
from .scoring import (
    IndicatorScore,
    RankingRow,
    indicators_of,
    participating_units,
    scores_compute,
)

SORTS = {
    "rank": ("rank", "unit__path"),
    "-rank": ("-rank", "unit__path"),
    "unit": ("unit__name", "unit__path"),
    "-unit": ("-unit__name", "unit__path"),
    "total": ("total", "unit__path"),
    "-total": ("-total", "unit__path"),
}
DEFAULT_SORT = "rank"


def assessment_ranking(*, campaign, period_start, period_end):
    """Every participating unit's score for the period, best first, with competition ranks.

    Read from the stored snapshot of that period when it was computed; computed on the spot
    otherwise. Rows are RankingRow: `.unit`, `.total` (Decimal, 2 places, 0–100), `.rank`,
    `.indicators` (IndicatorScore: `.key`, `.name`, `.weight`, `.value`, `.score`, `.source`).
    """
    period = score_period_get(campaign=campaign, period_start=period_start, period_end=period_end)
    if period is None:
        return scores_compute(campaign=campaign, period_start=period_start, period_end=period_end)
    names = _indicator_names(campaign)
    snapshots = ScoreSnapshot.objects.filter(period=period).select_related("unit")
    return [snapshot_row(s, names) for s in snapshots.order_by("rank", "unit__path")]


def score_period_get(*, campaign, period_start, period_end):
    """The stored computation for exactly this period, or None."""
    return (
        ScorePeriod.objects.filter(
            campaign=campaign, period_start=period_start, period_end=period_end
        )
        .order_by("pk")
        .first()
    )


def score_period_latest(*, campaign):
    """The most recent month computed (else any period), for default views."""
    periods = ScorePeriod.objects.filter(campaign=campaign).order_by("-period_end", "-computed_at")
    return next((p for p in periods[:24] if p.is_month), None) or periods.first()


def snapshot_row(snapshot, names=None):
    """A stored ScoreSnapshot as a RankingRow."""
    names = names or {}
    indicators = [
        IndicatorScore.from_json(data, names.get(data["key"]))
        for data in (snapshot.detail or {}).get("indicators", [])
    ]
    return RankingRow(
        unit=snapshot.unit,
        total=snapshot.total,
        rank=snapshot.rank,
        indicators=indicators,
        computed_at=snapshot.computed_at,
    )


def ranking_list(*, user, period, sort=DEFAULT_SORT, search=""):
    """The snapshot rows of `period` the user may see (ranks stay global), sorted."""
    rows = ScoreSnapshot.objects.restrict(user, VIEW).filter(period=period).select_related("unit")
    if search:
        rows = rows.filter(unit__name__icontains=search)
    return rows.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def unit_score(*, period, unit):
    """The unit's stored score for the period as a RankingRow, or None."""
    snapshot = ScoreSnapshot.objects.filter(period=period, unit=unit).select_related("unit").first()
    if snapshot is None:
        return None
    return snapshot_row(snapshot, _indicator_names(period.campaign))


def unit_history(*, campaign, unit):
    """The unit's monthly totals and ranks, oldest first: [(period_start, total, rank)]."""
    rows = (
        ScoreSnapshot.objects.filter(campaign=campaign, unit=unit)
        .order_by("period_start", "period_end")
        .values_list("period_start", "period_end", "total", "rank")
    )
    return [(start, total, rank) for start, end, total, rank in rows if is_month_span(start, end)]


def manual_indicators(*, campaign):
    """The indicators the office scores by hand: [(key, name)]."""
    return [(i.key, i.name) for i in indicators_of(campaign) if i.manual]


def manual_entry_rows(*, user, campaign, indicator, period, unit_id=None):
    """The participating units the user may score (one unit when `unit_id` is given), and
    the scores entered for the period (a queryset to narrow to the page's units)."""
    units = participating_units().restrict(user, VIEW)
    if unit_id is not None:
        units = units.filter(pk=unit_id)
    scores = ManualScore.objects.filter(
        campaign=campaign,
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
    ).select_related("entered_by")
    return units, scores


def my_units_scores(*, user, period):
    """For a liaison's panel: the rows of the units where they are liaison (or in scope)."""
    scope = scope_for(user, VIEW)
    if scope.empty or scope.all:
        return []
    top = Q()
    for path in scope.paths:
        top |= Q(unit__path=path)
    return list(
        ScoreSnapshot.objects.filter(period=period)
        .filter(top)
        .select_related("unit")
        .order_by("rank", "unit__path")
    )


def _indicator_names(campaign):
    return {i.key: i.name for i in indicators_of(campaign)}


def is_month_span(start, end):
    return start.day == 1 and start.year == end.year and start.month == end.month
