"""Practice records (搞好结合): discussions with the "三看" answers, pairings with their
assistance visits, and exchange placements. Any discussion, pairing or placement can be
put forward by its unit as an exemplar (好经验、好典型) and confirmed by the office.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosable, DisclosableQuerySet
from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet

ENDS_BEFORE_START = _("The end date cannot be before the start date.")


class ExemplarStatus(models.TextChoices):
    NONE = "", _("Not proposed")
    PROPOSED = "proposed", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed exemplar")
    DECLINED = "declined", _("Not adopted")


class PracticeQuerySet(DisclosableQuerySet):
    def pending_confirmation(self):
        return self.filter(exemplar_status=ExemplarStatus.PROPOSED)


class ExemplarRecord(Disclosable, TimeStampedModel):
    """A record its unit may put forward as an exemplar, with a summary fit for the public.

    Only the office's confirmation publishes it: `.public()` is confirmed and 向社会公开.
    """

    exemplar_status = models.CharField(
        _("exemplar"),
        max_length=20,
        choices=ExemplarStatus.choices,
        default=ExemplarStatus.NONE,
        blank=True,
        db_index=True,
    )
    exemplar_summary = models.TextField(_("public summary"), blank=True, max_length=1000)
    exemplar_proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    exemplar_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exemplar_decided_at = models.DateTimeField(
        pgettext_lazy("practice", "decided at"), null=True, blank=True
    )
    exemplar_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("practice", "decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exemplar_note = models.CharField(_("office's note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("practice", "recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PracticeQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        abstract = True

    @classmethod
    def published_q(cls):
        # A unit's proposal publishes nothing: only the office's confirmation does.
        return models.Q(exemplar_status=ExemplarStatus.CONFIRMED)

    @property
    def is_exemplar(self):
        return self.exemplar_status == ExemplarStatus.CONFIRMED


class Discussion(ExemplarRecord):
    """A 解放思想大讨论 session of a unit; its "三看" answers are DiscussionAnswer rows."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(pgettext_lazy("practice", "title"), max_length=200)
    held_on = models.DateField(pgettext_lazy("practice", "date"))
    place = models.CharField(pgettext_lazy("practice", "place"), max_length=200)
    host = models.CharField(pgettext_lazy("practice", "host"), max_length=100)
    participants = models.ManyToManyField(
        "org.Person", verbose_name=_("participating cadres"), blank=True, related_name="+"
    )
    attendance = models.PositiveIntegerField(
        pgettext_lazy("practice", "attendance"),
        help_text=_("Everyone present, including those who are not cadres."),
    )
    conclusions = models.TextField(pgettext_lazy("practice", "conclusions"))
    follow_up = models.TextField(_("follow-up actions"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self):
        return self.title


class DiscussionAnswer(models.Model):
    """The answer to one of the template's discussion questions, stored by question key.

    A row per answer (not a JSON blob) so that one answer per question is a database
    constraint, the export gets a column per question and answers can be searched; the
    service checks the key against the campaign's `discussion_questions`.
    """

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(pgettext_lazy("practice", "question"), max_length=50)
    text = models.TextField(pgettext_lazy("practice", "answer"))

    objects = ScopedQuerySet.as_manager()
    campaign_field = "discussion__campaign"
    scope_path = "discussion__unit__path"

    class Meta:
        ordering = ["discussion", "id"]
        verbose_name = _("discussion answer")
        verbose_name_plural = _("discussion answers")
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "question_key"], name="discussion_answer_unique_question"
            ),
        ]

    def __str__(self):
        return self.question_key


class Pairing(ExemplarRecord):
    """A cadre paired with a 包联单位 ("三员三帮一促进"). The paired unit is usually a
    village, community or enterprise outside the unit tree; the cadre's unit gives the scope."""

    class PairedKind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")
        ENTERPRISE = "enterprise", _("Enterprise")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "org.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    paired_name = models.CharField(_("paired unit"), max_length=200)
    paired_kind = models.CharField(_("kind of paired unit"), max_length=20, choices=PairedKind)
    paired_address = models.CharField(
        pgettext_lazy("practice", "address"), max_length=200, blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    goals = models.TextField(pgettext_lazy("practice", "goals"))
    experience_summary = models.TextField(_("experience summary"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        indexes = [models.Index(fields=["unit", "starts_on"])]

    def __str__(self):
        return f"{self.cadre.name} · {self.paired_name}"

    def clean(self):
        _check_period(self)


class Visit(TimeStampedModel):
    """An assistance visit (帮扶走访) under a pairing."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(pgettext_lazy("practice", "date"))
    activities = models.TextField(_("what was done"))
    outcome = models.TextField(pgettext_lazy("practice", "outcome"), blank=True)
    problems_solved = models.TextField(_("problems solved"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("practice", "recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    campaign_field = "pairing__campaign"
    scope_path = "pairing__unit__path"

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("assistance visit")
        verbose_name_plural = _("assistance visits")
        indexes = [models.Index(fields=["pairing", "visited_on"])]

    def __str__(self):
        return f"{self.pairing.paired_name} · {self.visited_on}"


class VisitAttachment(TimeStampedModel):
    """A photo or document of a visit; served only through a view that checks scope."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(pgettext_lazy("practice", "file"), upload_to="practice/visits/%Y/%m/")
    name = models.CharField(pgettext_lazy("practice", "file name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("practice", "size"), default=0)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "visit__pairing__campaign"
    scope_path = "visit__pairing__unit__path"

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def is_image(self):
        return self.name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png"}


class Placement(ExemplarRecord):
    """An exchange placement ("三个换位") of a cadre; `kind` is a key of the campaign's
    `placement_kinds`. What was learned is kept per aspect: 换位学习、换位思考、换位体验."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "org.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=50)
    host = models.CharField(_("host organisation"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    learning = models.TextField(_("learning in another's place"), blank=True)
    thinking = models.TextField(_("thinking from another's place"), blank=True)
    experience = models.TextField(_("experience in another's place"), blank=True)
    report = models.FileField(
        pgettext_lazy("practice", "report"), upload_to="practice/placements/%Y/%m/", blank=True
    )
    report_name = models.CharField(_("report file name"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("exchange placement")
        verbose_name_plural = _("exchange placements")
        indexes = [models.Index(fields=["unit", "starts_on"])]

    def __str__(self):
        return f"{self.cadre.name} · {self.host}"

    def clean(self):
        _check_period(self)


def _check_period(obj):
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_START})
