"""Assessment: scores the office enters by hand, and computed scores kept per period.

Indicators and their weights are the campaign template's `assessment_indicators`; rows
store an indicator's `key` and show its name from the campaign's config.
"""

import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet

PERIOD_ENDS_BEFORE_START = _("The period ends before it starts.")


class ManualScore(TimeStampedModel):
    """A score (0–100) the office gives a unit on an indicator the system cannot compute.

    It applies to its period, and to later periods until the office enters another one.
    """

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="manual_scores"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=50)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(
        pgettext_lazy("assessment", "score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("basis for the score"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-period_end", "unit__path", "indicator"]
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "indicator", "period_start", "period_end"],
                name="manual_score_unique",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "indicator", "period_end"])]

    def __str__(self):
        return f"{self.unit} · {self.indicator} · {self.value}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": PERIOD_ENDS_BEFORE_START})


class ScorePeriod(models.Model):
    """One computation of every participating unit's score for a period.

    `summary` keeps what the dashboard's trends read without opening the units' rows:
    {"units": n, "mean": total mean, "indicators": {key: mean percent}}.
    """

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="score_periods"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seconds = models.FloatField(_("computing time (s)"), default=0)
    summary = models.JSONField(default=dict)
    # Set when records the figures count change after computing; cleared when recomputed.
    stale_since = models.DateTimeField(_("data changed since"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "-period_end", "period_start"]
        verbose_name = _("computed period")
        verbose_name_plural = _("computed periods")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period_start", "period_end"], name="score_period_unique"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} {self.period_start}–{self.period_end}"

    @property
    def is_month(self):
        return (
            self.period_start.day == 1
            and self.period_start.year == self.period_end.year
            and self.period_start.month == self.period_end.month
            and self.period_end.day
            == calendar.monthrange(self.period_end.year, self.period_end.month)[1]
        )


class ScoreSnapshot(models.Model):
    """A unit's computed score for a period: total, global rank, and how it was reached.

    `detail` = {"indicators": [{key, name, weight, source, metric, value, percent, points,
    formula, note, url_name}], "points": {key: points}} (points by key, for sorting).
    """

    period = models.ForeignKey(ScorePeriod, on_delete=models.CASCADE, related_name="snapshots")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="score_snapshots"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    detail = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["rank", "unit__path"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="score_snapshot_unique"),
        ]
        indexes = [models.Index(fields=["period", "rank"])]

    def __str__(self):
        return f"{self.unit} {self.total} (#{self.rank})"
