"""Questionnaires (问卷调查): a survey is a series of rounds that share the same questions.

Rating questions and matrix rows use the campaign's satisfaction scale, copied onto the
survey when it is created so that a later change of the template does not rewrite past
results. Each answer keeps the scale's score, so an index is an average in the database.

Respondents are never stored by name: a response keeps a keyed hash that is the same for
the same respondent in the same round (the cadre, or the public browser session), which
is all that one-response-each needs.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet


class SurveyQuerySet(ScopedQuerySet):
    def public(self):
        """What the portal may show: questionnaires addressed to the public."""
        return self.in_campaign().filter(audience=Survey.Audience.PUBLIC)


class Survey(TimeStampedModel):
    """A questionnaire, built by the unit that owns it (the office for the whole county)."""

    class Audience(models.TextChoices):
        CADRES = "cadres", _("Cadres (logged in)")
        PUBLIC = "public", _("The public (a link)")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="surveys"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("questionnaire title"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    asks_unit = models.BooleanField(
        _("asks which unit is rated"),
        default=False,
        help_text=_("Public questionnaires: respondents choose the unit their answers are about."),
    )
    in_assessment = models.BooleanField(
        _("counts toward the satisfaction index"),
        default=False,
        help_text=_("Its rating answers make up the assessment's satisfaction index."),
    )
    # The satisfaction scale: [{key, name, score}], best first.
    scale = models.JSONField(_("rating scale"), default=list)

    objects = SurveyQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("section title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["survey_id", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating (satisfaction scale)")
        MATRIX = "matrix", _("Matrix of rating rows")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("question type"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)

    class Meta:
        ordering = ["survey_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def is_rated(self):
        return self.kind in (self.Kind.RATING, self.Kind.MATRIX)


class Round(TimeStampedModel):
    """One run of a survey, open for a period (e.g. the yearly satisfaction survey)."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey round state", "Not opened")
        OPEN = "open", pgettext_lazy("survey round state", "Open")
        CLOSED = "closed", pgettext_lazy("survey round state", "Closed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("round"), max_length=100, help_text=_("e.g. 2026"))
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Kept by the response services (and tally_rebuild), so the results page never counts.
    response_total = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["survey_id", "starts_on", "id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self):
        return f"{self.survey} · {self.name}"

    def accepting(self, today=None):
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and self.starts_on <= today <= self.ends_on


class Response(models.Model):
    """One respondent's answers in one round.

    `respondent_key` is HMAC(secret, round + cadre or browser session): one per round,
    enforced by the database. `ip_key` is HMAC(secret, round + IP + day), kept only to
    cap public responses per address per day; no raw address is stored.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent_key = models.CharField(max_length=64)
    ip_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent_key"], name="survey_response_once"
            ),
        ]
        indexes = [models.Index(fields=["round", "ip_key"])]

    def __str__(self):
        return f"{self.round} #{self.pk}"


class Answer(models.Model):
    """One answer: a chosen option (`choice`: option index, or scale index for ratings)
    in a row (matrix rows; 0 otherwise), or a text. `score` is the scale's score."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    row = models.PositiveSmallIntegerField(default=0)
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["response_id", "id"]
        indexes = [
            # The results page: GROUP BY question, row, choice within a round (index-only).
            models.Index(fields=["round", "question", "row", "choice"], name="answer_tally"),
            # The satisfaction index by unit.
            models.Index(fields=["unit", "round", "score"], name="answer_unit_score"),
        ]

    def __str__(self):
        return f"{self.question_id}:{self.row}:{self.choice}"


class Tally(models.Model):
    """How many answers chose `choice` in `row` of a question in a round; `choice` ANSWERED
    counts the respondents who answered the question at all.

    The response services add to these counts in the same transaction as the answers, so
    the results page reads a few rows per question instead of counting every answer;
    `tally_rebuild` recomputes them from the answers with one GROUP BY.
    """

    ANSWERED = -1

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    row = models.SmallIntegerField(default=0)
    choice = models.SmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "row", "choice"], name="survey_tally_unique"
            ),
        ]

    def __str__(self):
        return f"{self.round_id}:{self.question_id}:{self.row}:{self.choice}={self.n}"
