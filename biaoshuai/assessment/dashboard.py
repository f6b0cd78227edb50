"""The leading group's dashboard: the plan's progress; the ranking, its monthly trend and
the warnings (overdue items, missing reports) as stored with the computed scores; the
breakdowns the registered metrics offer (e.g. opinions by channel), kept for a few minutes."""

import logging

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from biaoshuai.campaigns.selectors import plan_summary
from biaoshuai.core import campaign as active_campaign
from biaoshuai.core.registry import registry
from biaoshuai.org.models import Unit

from .models import ScorePeriod, ScoreSnapshot
from .scoring import WARNING_METRICS, indicators_of
from .selectors import is_month_span

logger = logging.getLogger(__name__)

LOW_SCORE = 60
BREAKDOWN_SECONDS = 300
TOP = 5


def dashboard_build(*, user, campaign, period):
    """Everything the dashboard shows for `period` (a ScorePeriod or None)."""
    indicators = indicators_of(campaign)
    data = {
        "plan": plan_summary(campaign=campaign),
        "period": period,
        "indicators": indicators,
        "trend": _trend(campaign, indicators),
        "breakdowns": _breakdowns(user, campaign),
        "warnings": _warnings(period),
    }
    data.update(_ranking(period, indicators))
    return data


def _ranking(period, indicators):
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
        "low": [r for r in rows if r.total < LOW_SCORE],
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


def _warnings(period):
    """Overdue items and missing reports as computed with the period's scores: the total
    over the participating units and the units with the most."""
    stored = (period.summary or {}).get("warnings", {}) if period is not None else {}
    ids = {uid for figures in stored.values() for uid, _value in figures["units"]}
    units = Unit.objects.in_bulk(ids) if ids else {}
    warnings = []
    for key in WARNING_METRICS:
        metric = registry.metrics.get(key)
        if metric is None:
            continue
        figures = stored.get(key)
        warnings.append(
            {
                "key": key,
                "label": active_campaign.label(key, metric.label),
                "total": figures["total"] if figures else None,
                "url": _url(metric.url_name),
                "units": [
                    (units[uid], value)
                    for uid, value in (figures or {}).get("units", [])
                    if uid in units
                ],
            }
        )
    return warnings


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
