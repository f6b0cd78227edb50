"""One computation per figure: a registered metric for a campaign, a scope and a period.

Every page that shows a number (the home page, the dashboard, assessment, bulletins,
rankings, the API) gets it here, from the metric's `by_unit`, so the same metric, campaign,
unit and period give the same value everywhere. A figure is rendered with the
`{% figure %}` tag (core/templatetags/figures.py), which writes the machine-readable
`data-metric`, `data-campaign`, `data-unit`, `data-period` and `data-value` attributes.

A period is a month (`2026-11`: flow figures count what happened in it, stock figures
such as overdue items are counted as of its last day) or "as of" a date (`2026-12-03`:
everything since the campaign began, stock figures as of that day).
"""

import calendar
import datetime
import inspect
import logging
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from .scope import scope_for

logger = logging.getLogger(__name__)

ALL = "all"


@dataclass(frozen=True)
class FigurePeriod:
    """A month (`start` is its first day) or "as of" a date (`start` is None)."""

    end: datetime.date
    start: datetime.date | None = None

    @classmethod
    def month(cls, day):
        first = day.replace(day=1)
        return cls(end=first.replace(day=calendar.monthrange(day.year, day.month)[1]), start=first)

    @classmethod
    def as_of(cls, day=None):
        return cls(end=day or timezone.localdate())

    @classmethod
    def parse(cls, code, default=None):
        """`YYYY-MM` (a month) or `YYYY-MM-DD` (as of); `default` when it does not parse."""
        try:
            if code and len(code) == 7:
                return cls.month(datetime.date.fromisoformat(f"{code}-01"))
            if code:
                return cls.as_of(datetime.date.fromisoformat(code))
        except ValueError:
            pass
        return default if default is not None else cls.as_of()

    @property
    def is_month(self):
        return self.start is not None

    @property
    def is_one_month(self):
        return (
            self.is_month
            and self.start.day == 1
            and (self.start.year, self.start.month) == (self.end.year, self.end.month)
            and self.end.day == calendar.monthrange(self.end.year, self.end.month)[1]
        )

    @property
    def code(self):
        """`YYYY-MM` for a month, the ISO date for "as of", `start/end` for another span
        (the data-period attribute)."""
        if self.is_one_month:
            return f"{self.start:%Y-%m}"
        if self.is_month:
            return f"{self.start.isoformat()}/{self.end.isoformat()}"
        return self.end.isoformat()

    @property
    def words(self):
        """The period as people read it: "2026年11月" or "截至12月3日"."""
        if self.is_one_month:
            return _("%(year)d-%(month)02d (month)") % {
                "year": self.start.year,
                "month": self.start.month,
            }
        if self.is_month:
            return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"
        return _("as of %(month)d/%(day)d") % {"month": self.end.month, "day": self.end.day}

    @property
    def day(self):
        """The day stock figures are counted at: the as-of date, or the month's last day
        (today while the month is not over)."""
        return min(self.end, timezone.localdate())

    def previous(self):
        """The month before, or "as of" the last day of the month before."""
        before = (self.start or self.end).replace(day=1) - datetime.timedelta(days=1)
        return FigurePeriod.month(before) if self.is_month else FigurePeriod.as_of(before)

    def kwargs(self):
        return {"period_start": self.start, "period_end": self.end, "today": self.day}


def figure_by_unit(metric, *, campaign, unit_ids, period, param=""):
    """{unit_id: value} of `metric` over each unit's subtree for the period.

    The period (and an indicator's param) is given to a by_unit that takes it; a metric
    whose by_unit takes no period counts the campaign so far.
    """
    if metric is None or metric.by_unit is None:
        return {}
    params = inspect.signature(metric.by_unit).parameters
    kwargs = {"campaign": campaign, "unit_ids": list(unit_ids)}
    for name, value in period.kwargs().items():
        if name in params:
            kwargs[name] = value
    if "param" in params:
        kwargs["param"] = param
    return metric.by_unit(**kwargs) or {}


def period_aware(metric):
    """Whether the metric counts a given period (else it is the campaign so far)."""
    if metric is None or metric.by_unit is None:
        return False
    return "period_end" in inspect.signature(metric.by_unit).parameters


@dataclass(frozen=True)
class Figure:
    """A value of a metric for a campaign, a unit (or ALL: the user's whole scope) and a
    period, with what a page needs to show it."""

    metric: object
    campaign_id: int
    unit: object  # a unit id, or ALL
    period: FigurePeriod
    value: float | int | None

    @property
    def key(self):
        return self.metric.key


def figure_scope_units(user):
    """(unit id or ALL, [top unit ids]) of the user's view scope: ALL with the root units
    for the whole organisation, a unit's id when the scope is one subtree."""
    # core sits below org: it names the unit model by its label instead of importing it.
    Unit = apps.get_model("org", "Unit")
    scope = scope_for(user)
    if scope.empty:
        return None, []
    if scope.all:
        return ALL, list(Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    # A scope's paths are already its top subtrees (scope_for drops the covered ones).
    ids = list(Unit.objects.filter(path__in=scope.paths).values_list("pk", flat=True))
    return (ids[0] if len(ids) == 1 else ALL), ids


def figure_for(metric, *, campaign, period, user=None, unit_id=None, scope=None):
    """The Figure of `metric` for one unit, or for the user's whole scope (None when the
    metric does not apply). `scope` is figure_scope_units(user), when the caller has it."""
    if metric is None:
        return None
    campaign_id = campaign.pk if campaign is not None else ""
    if unit_id is not None:
        value = figure_by_unit(metric, campaign=campaign, unit_ids=[unit_id], period=period)
        return Figure(metric, campaign_id, unit_id, period, value.get(unit_id))
    code, tops = scope if scope is not None else figure_scope_units(user)
    if code is None:
        return None
    if metric.by_unit is not None and len(tops) == 1:
        value = figure_by_unit(metric, campaign=campaign, unit_ids=tops, period=period)
        return Figure(metric, campaign_id, code, period, value.get(tops[0]))
    if period.is_month or period.end != timezone.localdate():
        return None  # a total without a unit counts only the campaign so far
    value = metric.total(user=user, campaign=campaign)
    return None if value is None else Figure(metric, campaign_id, code, period, value)


def figure_safe(metric, **kwargs):
    """figure_for, logging (not raising) when another app's figure fails."""
    try:
        return figure_for(metric, **kwargs)
    except Exception:
        logger.exception("Figure %s failed", getattr(metric, "key", metric))
        return None


def campaign_targets(campaign):
    """The campaign template's `targets`: {"warn_below": n, "figures": {metric key: n}}
    (a campaign stored before targets existed gets the defaults)."""
    targets = dict((campaign.config or {}).get("targets") or {}) if campaign else {}
    targets.setdefault("warn_below", 60)
    targets.setdefault("figures", {})
    return targets


def figure_better(metric):
    """ "higher", "lower" or "": which way a figure should go."""
    if metric.better:
        return metric.better
    return "higher" if metric.kind in ("percent", "index") else ""


def figure_tone(metric, value, target):
    """ "good", "bad" or "" for a value against its target."""
    better = figure_better(metric)
    if value is None or target is None or not better:
        return ""
    if better == "higher":
        return "good" if value >= target else "bad"
    return "good" if value <= target else "bad"


def figure_tiles(*, user, campaign, metrics, today=None):
    """The figures of `metrics` within the user's scope as of today, each with its change
    since the end of last month, the template's target and a tone, for the home page."""
    period = FigurePeriod.as_of(today)
    before = period.previous()
    scope = figure_scope_units(user)
    targets = campaign_targets(campaign)["figures"]
    tiles = []
    for metric in metrics:
        current = figure_safe(metric, campaign=campaign, period=period, user=user, scope=scope)
        if current is None or current.value is None:
            continue
        previous = None
        if campaign is not None and campaign.starts_on <= before.end and period_aware(metric):
            previous = figure_safe(metric, campaign=campaign, period=before, user=user, scope=scope)
        change = None
        if previous is not None and previous.value is not None:
            change = round(float(current.value) - float(previous.value), 1)
        target = targets.get(metric.key)
        tiles.append(
            {
                "figure": current,
                "metric": metric,
                "previous": previous,
                "change": change,
                "target": target,
                "tone": figure_tone(metric, current.value, target),
                "better": figure_better(metric),
            }
        )
    return tiles
