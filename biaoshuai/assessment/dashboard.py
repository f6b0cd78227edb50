"""The leading group's dashboard: the plan's progress; the warnings (overdue items, missing
reports) read from the registered metrics for the period (as of today while it runs); the
ranking and its monthly trend as stored with the computed scores; the breakdowns the
registered metrics offer (e.g. opinions by channel), kept for a few minutes."""

import logging

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language

from biaoshuai.campaigns.selectors import plan_summary
from biaoshuai.core.figures import (
    FigurePeriod,
    campaign_targets,
    figure_by_unit,
    figure_safe,
    figure_scope_units,
)
from biaoshuai.core.registry import registry

from .models import ScorePeriod, ScoreSnapshot
from .scoring import WARNING_METRICS, WARNING_UNITS, indicators_of, participating_units
from .selectors import is_month_span

logger = logging.getLogger(__name__)

BREAKDOWN_SECONDS = 300
TOP = 5


def dashboard_build(*, user, campaign, period, span=None):
    """Everything the dashboard shows for `period` (a ScorePeriod or None) and `span` (the
    assessment Period picked; its figures are as of today while it runs)."""
    indicators = indicators_of(campaign)
    figures_period = warnings_period(span)
    warn_below = campaign_targets(campaign)["warn_below"]
    data = {
        "plan": plan_summary(campaign=campaign),
        "period": period,
        "indicators": indicators,
        "trend": _trend(campaign, indicators),
        "breakdowns": _breakdowns(user, campaign),
        "warnings": warnings_build(user=user, campaign=campaign, period=figures_period),
        "figures_period": figures_period,
        "today_period": FigurePeriod.as_of(),
        "warn_below": warn_below,
    }
    data.update(_ranking(period, indicators, warn_below))
    return data


def warnings_period(span):
    """As of today while the picked span runs (or without one), else the span itself."""
    today = timezone.localdate()
    if span is None or span.end >= today:
        return FigurePeriod.as_of(today)
    return FigurePeriod(end=span.end, start=span.start)


def warnings_build(*, user, campaign, period):
    """The warning figures (overdue items, missing reports) for the period: the total over
    the user's scope and the participating units with the most, from the metrics."""
    units = list(participating_units())
    by_id = {u.pk: u for u in units}
    scope = figure_scope_units(user)
    warnings = []
    for key in WARNING_METRICS:
        metric = registry.metrics.get(key)
        if metric is None:
            continue
        total = figure_safe(metric, campaign=campaign, period=period, user=user, scope=scope)
        try:
            values = figure_by_unit(metric, campaign=campaign, unit_ids=list(by_id), period=period)
        except Exception:  # another app's figure failing must not take the dashboard down
            logger.exception("Warning figure %s failed on the dashboard", key)
            values = {}
        worst = sorted(
            ((by_id[uid], v) for uid, v in values.items() if v and uid in by_id),
            key=lambda pair: (-pair[1], pair[0].path),
        )[:WARNING_UNITS]
        warnings.append(
            {
                "key": key,
                "label": campaign.label(key, metric.label) if campaign else metric.label,
                "figure": total,
                "total": total.value if total is not None else None,
                "url": _url(metric.url_name),
                "units": worst,
            }
        )
    return warnings


def weakest_indicator(snapshot):
    """The rated indicator where the unit earned the smallest share of what it could."""
    rated = [i for i in (snapshot.detail or {}).get("indicators", []) if i.get("value") is not None]
    if not rated:
        return None
    return min(rated, key=lambda i: (i.get("percent", 0), -i.get("weight", 0)))


def is_rated(snapshot):
    return any(i.get("value") is not None for i in (snapshot.detail or {}).get("indicators", []))


def _ranking(period, indicators, warn_below):
    if period is None:
        return {"chart": None, "top": [], "bottom": [], "low": [], "means": []}
    rows = list(
        ScoreSnapshot.objects.filter(period=period)
        .select_related("unit")
        .only("unit__name", "unit__path", "total", "rank", "detail")
        .order_by("rank", "unit__path")
    )
    chart = {
        "units": [r.unit.name for r in rows],
        "ids": [r.unit_id for r in rows],
        "totals": [float(r.total) for r in rows],
        "series": [
            {
                "name": i.name,
                "data": [(r.detail or {}).get("points", {}).get(i.key, 0) for r in rows],
            }
            for i in indicators
        ],
    }
    for r in rows:
        r.weakest = weakest_indicator(r)
    summary = period.summary or {}
    means = [
        {
            "indicator": i,
            "percent": summary.get("indicators", {}).get(i.key),
            "no_data": summary.get("no_data", {}).get(i.key, 0),
            "url": _url(_records_url_name(i)),
        }
        for i in indicators
    ]
    return {
        "chart": chart,
        "top": rows[:TOP],
        "bottom": rows[-TOP:][::-1] if len(rows) > TOP else [],
        "low": [r for r in rows if r.total < warn_below and is_rated(r)],
        "means": means,
    }


def _trend(campaign, indicators):
    """Monthly means of the total and of each indicator (as a percentage)."""
    periods = [
        p
        for p in ScorePeriod.objects.filter(campaign=campaign).order_by("period_start")
        if is_month_span(p.period_start, p.period_end)
    ]
    return {
        "months": [f"{p.period_start:%Y-%m}" for p in periods],
        "mean": [(p.summary or {}).get("mean") for p in periods],
        "series": [
            {
                "name": i.name,
                "data": [(p.summary or {}).get("indicators", {}).get(i.key) for p in periods],
            }
            for i in indicators
        ],
    }


def _breakdowns(user, campaign):
    """Registered metrics that break their figure down: {label: count} charts.

    Kept for a few minutes: the dashboard's users all see every unit, so they share them.
    """
    key = f"assessment:breakdowns:{campaign.pk}:{get_language()}"
    charts = cache.get(key)
    if charts is None:
        charts = _breakdowns_compute(user, campaign)
        cache.set(key, charts, BREAKDOWN_SECONDS)
    return charts


def _breakdowns_compute(user, campaign):
    charts = []
    for metric in sorted(registry.metrics.values(), key=lambda m: m.order):
        breakdown = getattr(metric, "breakdown", None)
        if breakdown is None:
            continue
        try:
            values = breakdown(user=user, campaign=campaign) or {}
        except Exception:  # another app's figure failing must not take the dashboard down
            logger.exception("Breakdown of %s failed on the dashboard", metric.key)
            continue
        if not values:
            continue
        charts.append(
            {
                "key": metric.key,
                "label": campaign.label(metric.key, str(metric.label)),
                "url": _url(metric.url_name),
                "data": [{"name": str(k), "value": v} for k, v in values.items()],
            }
        )
    return charts


def _records_url_name(indicator):
    if indicator.manual:
        return "assessment:manual_scores"
    metric = registry.metrics.get(indicator.metric)
    return metric.url_name if metric is not None else ""


def _url(url_name):
    if not url_name:
        return ""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""
