from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel

ENDS_BEFORE_START = _("The end date is before the start date.")
DONE_ON_NOT_DONE = _("Only a step that is done has a date it was done.")


class CampaignQuerySet(models.QuerySet):
    def current(self):
        """The campaign marked current (the default one), or None. Within a request, use
        the request's campaign instead (core.campaign.active(), loaded once)."""
        return self.filter(is_current=True).first()


class Campaign(TimeStampedModel):
    """A thematic education campaign, created from a YAML template (see campaigns/templates/).

    `config` keeps the template's reference content and lists (study kinds, channels,
    dimensions, point rules, indicators …) that the domain apps read.
    """

    template_key = models.CharField(_("template"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current"), default=False)
    config = models.JSONField(_("configuration"), default=dict)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_campaign",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        _check_dates(self)

    def choices(self, list_key):
        """[(key, name)] of one of the template's lists, e.g. "opinion_channels"."""
        return [
            (item["key"], item["name"]) for item in self.config.get("lists", {}).get(list_key, [])
        ]

    def is_under_way(self, today=None):
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    def channel_for(self, role):
        """The key of the opinion channel the template gives `role` (public_form, mailbox,
        api), or None: that way of taking opinions in is then off for the campaign."""
        for item in self.config.get("lists", {}).get("opinion_channels", []):
            if item.get("role") == role:
                return item["key"]
        return None

    def module_on(self, module):
        """Whether the template leaves `module` (an app, e.g. "practice") switched on."""
        return self.config.get("modules", {}).get(module, True) is not False

    def label(self, key, default):
        """The campaign's own name for a menu entry, figure or portal section."""
        return self.config.get("labels", {}).get(key) or default

    def current_phase(self, today=None):
        today = today or timezone.localdate()
        return next((p for p in self.phases.all() if p.starts_on <= today <= p.ends_on), None)


class CampaignChoice(models.Model):
    """The campaign a user works in, remembered across sessions (the top bar's switcher).

    Without one, or once its campaign is gone, the user works in the current campaign.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_choice"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("campaign choice")
        verbose_name_plural = _("campaign choices")

    def __str__(self):
        return f"{self.user} → {self.campaign}"


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="phase_unique_key"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        _check_dates(self)


class PlanStep(TimeStampedModel):
    """A stage or step of the plan, with its timing and the status the office keeps."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("plan step status", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("plan step status", "In progress")
        DONE = "done", pgettext_lazy("plan step status", "Done")

    OVERDUE = "overdue"

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_text = models.CharField(_("responsible"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["phase__order", "order"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self):
        return self.name

    def clean(self):
        _check_dates(self)
        if self.done_on and self.status != self.Status.DONE:
            raise ValidationError({"done_on": DONE_ON_NOT_DONE})

    def effective_status(self, today=None):
        """The status shown: a step not done after its end date is overdue."""
        today = today or timezone.localdate()
        if self.status != self.Status.DONE and self.ends_on < today:
            return self.OVERDUE
        return self.status


# What the plan page shows and filters by: the stored statuses and the computed one.
EFFECTIVE_STATUS_CHOICES = [
    *PlanStep.Status.choices,
    (PlanStep.OVERDUE, pgettext_lazy("plan step status", "Overdue")),
]


def _check_dates(obj):
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_START})
