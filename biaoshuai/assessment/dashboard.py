"""The leading group's dashboard: the plan's progress, the ranking and its trend from the
stored scores, breakdowns and warnings from the registered metrics."""

import logging

from django.urls import NoReverseMatch, reverse

from biaoshuai.campaigns.selectors import plan_summary
from biaoshuai.core.registry import registry

from .models import ScorePeriod, ScoreSnapshot
from .scoring import indicators_of, participating_units
from .selectors import is_month_span

logger = logging.getLogger(__name__)

# The registered figures that warn the leading group, when their apps register them.
WARNING_METRICS = ("supervision.overdue", "rectification.overdue", "reports.missing")
WARNING_UNITS = 5
LOW_SCORE = 60
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
        "warnings": _warnings(user, campaign),
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
    """Registered metrics that break their figure down: {label: count} charts."""
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
                "label": str(metric.label),
                "url": _url(metric.url_name),
                "data": [{"name": str(k), "value": v} for k, v in values.items()],
            }
        )
    return charts


def _warnings(user, campaign):
    """Overdue items and missing reports: the total and the units with the most."""
    metrics = [registry.metrics[k] for k in WARNING_METRICS if k in registry.metrics]
    if not metrics:
        return []
    units = {u.pk: u for u in participating_units().only("name", "path")}
    warnings = []
    for metric in metrics:
        try:
            total = metric.total(user=user, campaign=campaign)
            values = (
                metric.by_unit(campaign=campaign, unit_ids=list(units)) if metric.by_unit else {}
            )
        except Exception:  # see _breakdowns
            logger.exception("Metric %s failed on the dashboard", metric.key)
            continue
        worst = sorted(
            ((units[uid], v) for uid, v in (values or {}).items() if v and uid in units),
            key=lambda pair: (-pair[1], pair[0].path),
        )[:WARNING_UNITS]
        warnings.append(
            {
                "key": metric.key,
                "label": metric.label,
                "total": total,
                "url": _url(metric.url_name),
                "units": worst,
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
