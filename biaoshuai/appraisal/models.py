"""Self-checks (自查) and democratic appraisal (民主评议).

A self-check belongs to one cadre in one campaign: ratings against the campaign's
self-check items and the problems the cadre names per problem dimension (the findings).
A democratic appraisal is held for one unit and one period: every cadre of the unit is a
participant who assesses themselves, is assessed by their peers, and gets a grade that the
unit proposes. Item, dimension and grade keys are the campaign template's keys.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet


class SelfRating(models.TextChoices):
    """How a cadre rates themselves against one item of a reference section."""

    GOOD = "good", pgettext_lazy("self rating", "Good")
    FAIR = "fair", pgettext_lazy("self rating", "Fairly good")
    AVERAGE = "average", pgettext_lazy("self rating", "Average")
    POOR = "poor", pgettext_lazy("self rating", "Poor")


def self_rating_choices(campaign):
    """[(key, name)] of the campaign template's `self_rating_scale`, else the default scale."""
    return campaign.choices("self_rating_scale") or list(SelfRating.choices)


class SelfCheck(TimeStampedModel):
    """One cadre's self-check in one campaign: a draft until submitted."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("self-check state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("self-check state", "Submitted")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="self_checks"
    )
    person = models.ForeignKey(
        "org.Person", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="self_checks"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # {self_check_items key: [SelfRating per entry of the item's reference section]}
    ratings = models.JSONField(_("ratings"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason it was sent back"), blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["unit__path", "person__name", "id"]
        verbose_name = _("self-check")
        verbose_name_plural = _("self-checks")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="self_check_one_per_cadre"),
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self):
        return f"{self.person} · {self.campaign}"


class SelfCheckFinding(models.Model):
    """A problem a cadre names about themselves, in one problem dimension."""

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="findings")
    dimension = models.CharField(_("problem dimension"), max_length=50)
    text = models.TextField(_("problem"))
    order = models.PositiveSmallIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "self_check__campaign"
    scope_path = "self_check__unit__path"

    class Meta:
        ordering = ["self_check_id", "order", "id"]
        verbose_name = _("self-check finding")
        verbose_name_plural = _("self-check findings")
        indexes = [models.Index(fields=["dimension"])]

    def __str__(self):
        return self.text[:50]


class Appraisal(TimeStampedModel):
    """A democratic appraisal (民主评议) of one unit's cadres for one period."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("appraisal state", "Assessing")
        GRADING = "grading", pgettext_lazy("appraisal state", "Grading")
        PUBLISHED = "published", pgettext_lazy("appraisal state", "Results published")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="appraisals"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=50, help_text=_("e.g. the year 2026"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-period", "unit__path", "id"]
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "period"], name="appraisal_one_per_unit_period"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"


class Participant(TimeStampedModel):
    """A cadre appraised: their self-assessment and the grade their unit proposes."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="+"
    )
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_grade = models.CharField(_("grade proposed for oneself"), max_length=50, blank=True)
    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=50, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "appraisal__campaign"
    scope_path = "appraisal__unit__path"

    class Meta:
        ordering = ["appraisal_id", "person__name", "id"]
        verbose_name = _("appraisal participant")
        verbose_name_plural = _("appraisal participants")
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "person"], name="appraisal_participant_once"
            ),
        ]

    def __str__(self):
        return str(self.person)


class PeerAssessment(models.Model):
    """One cadre's grade for a colleague. The assessor is kept only so that nobody votes
    twice: no page, export or selector that shows assessments reads it."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="peer_assessments"
    )
    assessor = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(_("grade"), max_length=50)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "participant__appraisal__campaign"
    scope_path = "participant__appraisal__unit__path"

    class Meta:
        verbose_name = _("peer assessment")
        verbose_name_plural = _("peer assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "assessor"], name="peer_assessment_once"
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.grade}"
