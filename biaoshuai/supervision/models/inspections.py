from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet


class Inspection(TimeStampedModel):
    """A supervision visit (督办检查) to a unit, with who went and what they found."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("inspected unit"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    visited_on = models.DateField(_("date of visit"))
    inspectors_text = models.CharField(
        _("inspection team"),
        max_length=300,
        blank=True,
        help_text=_("Names of the inspectors, including those without a record here."),
    )
    inspectors = models.ManyToManyField(
        "org.Person",
        verbose_name=_("inspectors"),
        blank=True,
        related_name="inspections",
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.unit} · {self.visited_on:%Y-%m-%d}"


class Finding(models.Model):
    """One thing an inspection found; it may become a problem or a supervision item.

    `problem_id` links to the problem rectification created (that app owns the record);
    `item` to the supervision item issued for it.
    """

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    description = models.TextField(_("finding"))
    dimension = models.CharField(_("problem dimension"), max_length=50, blank=True)
    problem_id = models.PositiveIntegerField(_("problem"), null=True, blank=True)
    item = models.ForeignKey(
        "supervision.SupervisionItem",
        verbose_name=_("supervision item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "inspection__campaign"
    scope_path = "inspection__unit__path"

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return self.description[:60]

    @property
    def label(self):
        """How the finding is named where it is linked from (a problem's source)."""
        return f"{self.inspection.unit.name} {self.inspection.visited_on:%Y-%m-%d} 督办检查发现问题"
