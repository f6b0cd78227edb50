"""What the platform records about running itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One run of a scheduled job for one slot (the time it was due).

    The unique (job, slot) pair is the lock that lets several scheduler processes run side by
    side: whichever inserts the row first runs the job, the others skip that slot.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=64)
    slot = models.DateTimeField(_("slot"))
    manual = models.BooleanField(_("started by an operator"), default=False)
    node = models.CharField(_("node"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("run started at"))
    finished_at = models.DateTimeField(_("run finished at"), null=True, blank=True)
    output = models.TextField(_("output"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="ops_scheduledrun_once_per_slot")
        ]
        indexes = [models.Index(fields=["job", "-slot"], name="ops_run_job_slot")]

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"
