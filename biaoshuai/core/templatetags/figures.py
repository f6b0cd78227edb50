"""`{% figure %}`: the one way a page shows a figure.

    {% figure fig %}                                   a core.figures.Figure
    {% figure metric="reports.missing" campaign=c.pk unit=u.pk period="2026-11" value=3 %}

Both render the formatted number in a span carrying `data-metric`, `data-campaign`,
`data-unit` (a unit id or "all"), `data-period` (YYYY-MM or an ISO date) and `data-value`
(the raw number), so the same figure can be checked on every page.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

from biaoshuai.core.registry import registry

register = template.Library()

PERCENT_KINDS = ("percent", "index")


@register.inclusion_tag("components/figure.html")
def figure(fig=None, *, metric="", campaign="", unit="all", period="", value=None, kind=""):
    if fig is not None:
        metric, campaign, unit = fig.metric.key, fig.campaign_id, fig.unit
        period, value, kind = fig.period.code, fig.value, kind or fig.metric.kind
    elif not kind:
        registered = registry.metrics.get(metric)
        kind = registered.kind if registered is not None else "count"
    period = getattr(period, "code", period)
    return {
        "metric": metric,
        "campaign": campaign,
        "unit": unit,
        "period": period,
        "raw": figure_raw(value),
        "shown": figure_shown(value, kind),
        "percent": kind == "percent",
    }


def figure_raw(value):
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:.2f}".rstrip("0")


def figure_shown(value, kind):
    if value is None:
        return "—"
    if kind in PERCENT_KINDS:
        return floatformat(value, 1)
    number = float(value)
    return intcomma(int(number)) if number == int(number) else floatformat(number, 2)


@register.filter
def metric_label(key):
    """A metric's label for people (never its code); "" for an unknown key."""
    metric = registry.metrics.get(key)
    return metric.label if metric is not None else ""
