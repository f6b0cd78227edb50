from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for domain models: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SharedCounter(models.Model):
    """A counter every web worker and every machine sees (see core/shared.py): rate-limit
    windows, single-use tokens and cache version numbers. Expired rows are purged."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("shared counter")
        verbose_name_plural = _("shared counters")

    def __str__(self):
        return f"{self.key}={self.value}"


class ExportJob(models.Model):
    """A large export written by a background task (core/exports.py): its progress, then the
    file, kept until `expires_at` and given to its owner only."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV (.csv)"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("export"), max_length=80)
    label = models.CharField(_("name"), max_length=200, blank=True)
    query = models.TextField(_("filters"), blank=True)
    # The campaign the request worked in (no foreign key: core depends on no app), so the
    # task exports the same records.
    campaign_id = models.PositiveIntegerField(null=True, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("row count"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    path = models.CharField(max_length=255, blank=True)  # under EXPORT_ROOT
    size = models.BigIntegerField(_("size"), default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("export finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.label or self.key} #{self.pk}"

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))
