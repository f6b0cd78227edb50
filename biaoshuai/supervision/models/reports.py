from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet


class UnitReport(TimeStampedModel):
    """A unit's progress report (情况汇报) for one reporting period of the campaign."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("unit report", "Submitted")
        REVIEWED = "reviewed", pgettext_lazy("unit report", "Reviewed")
        RETURNED = "returned", pgettext_lazy("unit report", "Returned for more")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="unit_reports",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="unit_reports",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    text = models.TextField(_("report"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the report first came in: lateness is judged on this, not on a resubmission.
    first_submitted_at = models.DateTimeField(_("first submitted at"), default=timezone.now)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-period_start", "unit__path"]
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "period_start"], name="unit_report_one_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period_start:%Y-%m}"

    @property
    def is_late(self):
        return timezone.localdate(self.first_submitted_at) > self.due_on


class UnitReportAttachment(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="supervision/reports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "report__campaign"
    scope_path = "report__unit__path"

    class Meta:
        ordering = ["report", "id"]

    def __str__(self):
        return self.name
