from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Reminder(models.Model):
    """One deadline reminder sent for an item on a day; the constraint makes the job idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", pgettext_lazy("reminder", "Due within 7 days")
        DUE_TODAY = "due_today", pgettext_lazy("reminder", "Due today")
        OVERDUE = "overdue", pgettext_lazy("reminder", "Overdue")

    item = models.ForeignKey(
        "rectification.RectificationItem",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    emailed = models.PositiveSmallIntegerField(_("e-mails sent"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "on"], name="one_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.item_id} {self.kind} {self.on}"


class Notice(models.Model):
    """An in-app notice to one user (a minimal inbox until a notifications app takes over)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="rectification_notices",
    )
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text
