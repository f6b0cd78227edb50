from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosable, DisclosableQuerySet
from biaoshuai.core.models import TimeStampedModel


class Severity(models.TextChoices):
    GENERAL = "general", pgettext_lazy("problem severity", "Ordinary")
    SERIOUS = "serious", pgettext_lazy("problem severity", "Serious")
    GRAVE = "grave", pgettext_lazy("problem severity", "Grave")


class ProblemQuerySet(DisclosableQuerySet):
    pass


class Problem(Disclosable, TimeStampedModel):
    """A problem (突出问题) on a unit's or the department's problem list, traced to its sources.

    `dimension` and `area` hold keys of the campaign's problem_dimensions and problem_areas.
    """

    Severity = Severity

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="problems"
    )
    dimension = models.CharField(_("dimension"), max_length=50)
    area = models.CharField(_("area"), max_length=50, blank=True)
    description = models.TextField(_("problem"))
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.GENERAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProblemQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["unit__path", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["campaign", "unit"]),
            models.Index(fields=["disclosure", "id"]),
        ]

    def __str__(self):
        return self.description[:60]


class ProblemSource(models.Model):
    """Where a problem was found: an opinion, a self-check, the appraisal, supervision …"""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("Opinion")
        SELF_CHECK = "self_check", _("Self-check")
        APPRAISAL = "appraisal", _("Appraisal")
        SUPERVISION = "supervision", _("Supervision")
        INSPECTION = "inspection", _("Inspection")
        DIRECT = "direct", _("Entered directly")

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="sources"
    )
    kind = models.CharField(_("source"), max_length=20, choices=Kind.choices)
    source_id = models.CharField(_("source record"), max_length=64, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["problem", "id"]
        verbose_name = _("problem source")
        verbose_name_plural = _("problem sources")
        indexes = [models.Index(fields=["kind", "source_id"])]

    def __str__(self):
        return self.label or self.get_kind_display()
