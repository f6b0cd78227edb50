"""How a unit's assessment score is computed.

Indicators come from the campaign template's `assessment_indicators`:
`{key, name, weight, metric: <registered metric key>}` or `{key, name, weight, manual: true}`,
optionally with `scale: percent | relative` and `direction: higher | lower`.

For each indicator a unit gets a percentage p (0–100):

- manual: the office's score for the unit (ManualScore), the one entered for the period,
  else the latest one entered for an earlier period (a score holds until replaced);
- `scale: percent` (default for metrics of kind "percent" or "index", already 0–100):
  p = value, clamped to 0–100;
  with `direction: lower`, p = 100 − value;
- `scale: relative` (default for counts, e.g. publicity points): p = value ÷ max × 100,
  where max is the largest value among the participating units in the period; with
  `direction: lower` (e.g. overdue items), p = (1 − value ÷ max) × 100, and 100 for every
  unit when no unit has any (max = 0);
- a metric not registered, or without a value for the unit (nothing was due, no opinions
  came in), or a manual score not entered yet: the indicator is left out of the unit's
  total (不参评, with the reason) and the other indicators' weights are renormalised.

Points earned on an indicator = p × weight ÷ Σ weights of the unit's rated indicators (so
with every indicator rated and the template's weights adding up to 100, points = p × weight
÷ 100); the total is the sum of the points (0–100), rounded to 2 decimals. Ranks are competition ranks: equal totals share a rank (1, 2, 2, 4).

Participating units: the active townships, county agencies and departments below the
root unit (the root department runs the campaign). A metric's value for a unit covers the
unit's subtree.
"""

import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from biaoshuai.core.figures import FigurePeriod, figure_by_unit
from biaoshuai.core.registry import registry as default_registry
from biaoshuai.org.models import Unit

from .models import ManualScore

logger = logging.getLogger(__name__)

PARTICIPATING_KINDS = (Unit.Kind.TOWNSHIP, Unit.Kind.COUNTY_AGENCY, Unit.Kind.DEPARTMENT)
METRIC, MANUAL = "metric", "manual"
PERCENT, RELATIVE = "percent", "relative"
HIGHER, LOWER = "higher", "lower"
# Why an indicator scored 0 without a value (stored in the snapshot; shown translated).
NO_DATA, NOT_REGISTERED, NOT_ENTERED, FAILED = "no_data", "not_registered", "not_entered", "failed"
TWO_PLACES = Decimal("0.01")
# Metric kinds whose values are already on a 0–100 scale (a rate, or an index such as
# the satisfaction index); other kinds are counts.
PERCENT_KINDS = ("percent", "index")
# The registered figures that warn the leading group (stored with each computed period).
WARNING_METRICS = ("supervision.overdue", "rectification.overdue", "reports.missing")
WARNING_UNITS = 5


@dataclass(frozen=True)
class Indicator:
    """One assessment indicator as the campaign template defines it."""

    key: str
    name: str
    weight: float
    metric: str = ""
    manual: bool = False
    scale: str = ""
    direction: str = HIGHER
    param: str = ""

    @property
    def source(self):
        return MANUAL if self.manual else METRIC


@dataclass
class IndicatorScore:
    """What a unit earned on one indicator, and how."""

    key: str
    name: str
    weight: float
    source: str
    metric: str = ""
    value: float | None = None  # the raw metric value, or the office's score
    percent: float = 0.0  # the value normalised to 0–100
    score: Decimal = Decimal("0.00")  # points earned toward the total
    scale: str = PERCENT
    direction: str = HIGHER
    reference: float | None = None  # the best (or worst) value, for the relative scale
    note: str = ""  # NO_DATA, NOT_REGISTERED, NOT_ENTERED, FAILED or the office's note
    url_name: str = ""
    share: float = 0.0  # weight ÷ Σ weights × 100: the most points this indicator can give

    @property
    def has_data(self):
        return self.value is not None

    @property
    def excluded(self):
        """Not rated for this unit (不参评): left out of its total."""
        return self.value is None

    @property
    def note_text(self):
        return {
            NO_DATA: _("not rated: nothing to count for this unit in the period"),
            NOT_REGISTERED: _("not rated: the figure is not available"),
            NOT_ENTERED: _("not rated: not scored yet"),
            FAILED: _("not rated: the figure could not be computed"),
        }.get(self.note, self.note)

    @property
    def formula(self):
        """The rule that turned the value into points, with this unit's numbers."""
        share = _number(self.share)
        if self.value is None:
            return _("not rated: its weight goes to the other indicators")
        if self.source == MANUAL:
            return _("score %(value)s × %(share)s%% = %(points)s") % {
                "value": _number(self.value),
                "share": share,
                "points": self.score,
            }
        if self.scale == RELATIVE:
            if self.direction == LOWER:
                if not self.reference:
                    return _("no unit has any: 100%% × %(share)s%% = %(points)s") % {
                        "share": share,
                        "points": self.score,
                    }
                return _(
                    "(1 − %(value)s ÷ %(worst)s, the most of any unit) × %(share)s%% = %(points)s"
                ) % {
                    "value": _number(self.value),
                    "worst": _number(self.reference),
                    "share": share,
                    "points": self.score,
                }
            if not self.reference:
                return _("no unit has any: 0 points")
            return _("%(value)s ÷ %(best)s, the best unit's × %(share)s%% = %(points)s") % {
                "value": _number(self.value),
                "best": _number(self.reference),
                "share": share,
                "points": self.score,
            }
        if self.direction == LOWER:
            return _("(100 − %(value)s)%% × %(share)s%% = %(points)s") % {
                "value": _number(self.value),
                "share": share,
                "points": self.score,
            }
        return _("%(value)s%% × %(share)s%% = %(points)s") % {
            "value": _number(self.value),
            "share": share,
            "points": self.score,
        }

    def as_json(self):
        return {
            "key": self.key,
            "name": self.name,
            "weight": self.weight,
            "source": self.source,
            "metric": self.metric,
            "value": self.value,
            "percent": self.percent,
            "points": float(self.score),
            "scale": self.scale,
            "direction": self.direction,
            "reference": self.reference,
            "note": self.note,
            "url_name": self.url_name,
            "share": self.share,
        }

    @classmethod
    def from_json(cls, data, name=None):
        return cls(
            key=data["key"],
            name=name or data.get("name", data["key"]),
            weight=data.get("weight", 0),
            source=data.get("source", METRIC),
            metric=data.get("metric", ""),
            value=data.get("value"),
            percent=data.get("percent", 0.0),
            score=_two(data.get("points", 0)),
            scale=data.get("scale", PERCENT),
            direction=data.get("direction", HIGHER),
            reference=data.get("reference"),
            note=data.get("note", ""),
            url_name=data.get("url_name", ""),
            share=data.get("share", 0.0),
        )


@dataclass
class RankingRow:
    """A unit's place in the ranking: total (0–100), competition rank, indicator scores."""

    unit: Unit
    total: Decimal
    rank: int = 0
    indicators: list = field(default_factory=list)
    computed_at: object = None


def indicators_of(campaign):
    """The campaign's assessment indicators, in the template's order."""
    items = (campaign.config or {}).get("lists", {}).get("assessment_indicators", [])
    return [
        Indicator(
            key=item["key"],
            name=item.get("name", item["key"]),
            weight=float(item.get("weight", 0) or 0),
            metric=item.get("metric", "") or "",
            manual=bool(item.get("manual")),
            scale=item.get("scale", "") or "",
            direction=LOWER if item.get("direction") == LOWER else HIGHER,
            param=item.get("param", "") or "",
        )
        for item in items
    ]


def participating_units():
    """Active townships, county agencies and departments below the root, in tree order."""
    return Unit.objects.filter(
        is_active=True, kind__in=PARTICIPATING_KINDS, parent__isnull=False
    ).order_by("path")


def scores_compute(*, campaign, period_start, period_end, units=None, registry=None):
    """Every participating unit's score for the period, ranked (see the module's docstring).

    One call of each indicator's metric for all units, and one query for manual scores.
    """
    registry = registry or default_registry
    units = list(units if units is not None else participating_units())
    unit_ids = [u.pk for u in units]
    indicators = indicators_of(campaign)
    weights = sum(i.weight for i in indicators) or 1.0
    manual = _manual_scores(
        campaign, [i.key for i in indicators if i.manual], period_start, period_end
    )
    columns = {}
    for indicator in indicators:
        share = indicator.weight / weights * 100
        if indicator.manual:
            columns[indicator.key] = _manual_column(indicator, share, unit_ids, manual)
        else:
            columns[indicator.key] = _metric_column(
                indicator, share, unit_ids, campaign, period_start, period_end, registry
            )
    rows = []
    for unit in units:
        scores = [columns[i.key][unit.pk] for i in indicators]
        _renormalise(scores)
        total = _two(sum(float(s.score) for s in scores))
        rows.append(RankingRow(unit=unit, total=total, indicators=scores))
    return rank_rows(rows)


def _renormalise(scores):
    """Leave out the indicators without a value for this unit (不参评) and share their
    weight among the others, so a unit is not scored 0 for what did not apply to it."""
    rated = [s for s in scores if s.value is not None]
    weights = sum(s.weight for s in rated)
    for s in scores:
        if s.value is None or not weights:
            s.share, s.score = 0.0, Decimal("0.00")
            continue
        s.share = round(s.weight / weights * 100, 4)
        s.score = _two(s.percent * s.share / 100)


def rank_rows(rows):
    """Sort by total (highest first, then tree order) and give competition ranks."""
    rows.sort(key=lambda r: (-r.total, r.unit.path))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank
    return rows


def warnings_compute(*, campaign, period_start, period_end, unit_ids, registry=None):
    """{metric key: {"total": sum over the units, "units": [[unit_id, value]] (the most
    first)}} for the warning metrics that are registered."""
    registry = registry or default_registry
    warnings = {}
    for key in WARNING_METRICS:
        metric = registry.metrics.get(key)
        if metric is None or metric.by_unit is None:
            continue
        try:
            values = call_by_unit(
                metric,
                campaign=campaign,
                unit_ids=unit_ids,
                period_start=period_start,
                period_end=period_end,
            )
        except Exception:  # see _metric_column
            logger.exception("Metric %s failed for the assessment", key)
            continue
        known = {uid: _float(v) for uid, v in values.items() if _float(v)}
        worst = sorted(known.items(), key=lambda pair: -pair[1])[:WARNING_UNITS]
        warnings[key] = {
            "total": _whole(sum(known.values())),
            "units": [[u, _whole(v)] for u, v in worst],
        }
    return warnings


def call_by_unit(metric, *, campaign, unit_ids, period_start, period_end, param=""):
    """A metric's values by unit for the period (see core.figures.figure_by_unit: stock
    figures such as overdue items are counted as of the period's last day)."""
    period = FigurePeriod(end=period_end, start=period_start)
    return figure_by_unit(metric, campaign=campaign, unit_ids=unit_ids, period=period, param=param)


def _metric_column(indicator, share, unit_ids, campaign, period_start, period_end, registry):
    metric = registry.metrics.get(indicator.metric) if indicator.metric else None
    kind = getattr(metric, "kind", "count")
    scale = indicator.scale or (PERCENT if kind in PERCENT_KINDS else RELATIVE)
    base = {
        "key": indicator.key,
        "name": indicator.name,
        "weight": indicator.weight,
        "source": METRIC,
        "metric": indicator.metric,
        "scale": scale,
        "direction": indicator.direction,
        "url_name": getattr(metric, "url_name", "") or "",
        "share": round(share, 4),
    }
    if metric is None or metric.by_unit is None:
        return {uid: IndicatorScore(**base, note=NOT_REGISTERED) for uid in unit_ids}
    try:
        values = call_by_unit(
            metric,
            campaign=campaign,
            unit_ids=unit_ids,
            period_start=period_start,
            period_end=period_end,
            param=indicator.param,
        )
    except Exception:  # another app's figure failing must not stop the ranking
        logger.exception("Metric %s failed for the assessment", indicator.metric)
        return {uid: IndicatorScore(**base, note=FAILED) for uid in unit_ids}
    values = {uid: _float(values.get(uid)) for uid in unit_ids}
    known = [v for v in values.values() if v is not None]
    reference = max(known) if known and scale == RELATIVE else None
    column = {}
    for uid, value in values.items():
        if value is None:
            column[uid] = IndicatorScore(**base, reference=reference, note=NO_DATA)
            continue
        percent = _percent(value, scale, indicator.direction, reference)
        column[uid] = IndicatorScore(
            **base,
            value=value,
            reference=reference,
            percent=percent,
            score=_two(percent * share / 100),
        )
    return column


def _manual_column(indicator, share, unit_ids, manual):
    column = {}
    for uid in unit_ids:
        entry = manual.get((uid, indicator.key))
        base = {
            "key": indicator.key,
            "name": indicator.name,
            "weight": indicator.weight,
            "source": MANUAL,
            "scale": PERCENT,
            "url_name": "assessment:manual_scores",
            "share": round(share, 4),
        }
        if entry is None:
            column[uid] = IndicatorScore(**base, note=NOT_ENTERED)
            continue
        value = float(entry.value)
        percent = min(max(value, 0.0), 100.0)
        column[uid] = IndicatorScore(
            **base, value=value, percent=percent, score=_two(percent * share / 100), note=entry.note
        )
    return column


def _manual_scores(campaign, keys, period_start, period_end):
    """{(unit_id, key): ManualScore}: the one for this period, else the latest earlier one."""
    if not keys:
        return {}
    found = {}
    rows = ManualScore.objects.filter(
        campaign=campaign, indicator__in=keys, period_start__lte=period_end
    ).order_by("-period_end", "-period_start", "-updated_at", "-pk")
    for row in rows.only("unit_id", "indicator", "value", "note", "period_start", "period_end"):
        key = (row.unit_id, row.indicator)
        if key not in found or (row.period_start, row.period_end) == (period_start, period_end):
            found[key] = row
    return found


def _percent(value, scale, direction, reference):
    if scale == RELATIVE:
        if direction == LOWER:
            return 100.0 if not reference else max(0.0, (1 - value / reference) * 100)
        return 0.0 if not reference or reference <= 0 else max(0.0, value / reference * 100)
    clamped = min(max(value, 0.0), 100.0)
    return 100.0 - clamped if direction == LOWER else clamped


def _float(value):
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _whole(value):
    return int(value) if float(value) == int(value) else round(value, 2)


def _two(value):
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _number(value):
    if value is None:
        return ""
    value = float(value)
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")
