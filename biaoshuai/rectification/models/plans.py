from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet


class PersonalPlan(TimeStampedModel):
    """A cadre's personal rectification plan (个人整改方案), reviewed by the unit's liaison.

    `unit` is the cadre's unit when the plan was begun; it places the plan in scope.
    """

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("personal plan", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("personal plan", "Submitted")
        RETURNED = "returned", pgettext_lazy("personal plan", "Returned")
        ACCEPTED = "accepted", pgettext_lazy("personal plan", "Accepted")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="personal_plans",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="personal_plans",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["unit__path", "person__name", "id"]
        verbose_name = _("personal plan")
        verbose_name_plural = _("personal plans")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="one_plan_per_cadre")
        ]

    def __str__(self):
        return str(self.person)

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class PlanProblem(models.Model):
    """A problem of the cadre's own, from the self-check or the appraisal, or typed in."""

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", _("Self-check")
        APPRAISAL = "appraisal", _("Appraisal")
        OWN = "own", _("Entered by the cadre")

    plan = models.ForeignKey(
        PersonalPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="problems"
    )
    dimension = models.CharField(_("dimension"), max_length=50, blank=True)
    text = models.TextField(_("problem"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_id = models.CharField(_("source record"), max_length=64, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("problem of a personal plan")
        verbose_name_plural = _("problems of a personal plan")

    def __str__(self):
        return self.text[:60]


class PlanMeasure(models.Model):
    """A concrete measure with a date and how it will be seen to be done."""

    plan = models.ForeignKey(
        PersonalPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    problem = models.ForeignKey(
        PlanProblem,
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    aspect = models.CharField(_("aspect"), max_length=50, blank=True)
    measure = models.TextField(_("measure"))
    due_on = models.DateField(_("to be done by"))
    done_when = models.TextField(_("how it will be seen to be done"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "id"]
        verbose_name = _("plan measure")
        verbose_name_plural = _("plan measures")

    def __str__(self):
        return self.measure[:60]


class PlanAction(models.Model):
    """What the cadre actually did under a measure (整改实际行动)."""

    measure = models.ForeignKey(
        PlanMeasure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField(_("action taken"))
    on = models.DateField(_("date"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self):
        return self.text[:60]
