"""Study: sessions and their attendance, the three deliverables (三有) and completion figures.

Kinds, required topics and deliverable kinds are keys of the campaign template's lists
(study_kinds, required_topics, deliverable_kinds); their names come from the campaign.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.roles import LEADING_GROUP, Role
from biaoshuai.core.scope import VIEW, Scope, ScopedQuerySet, has_role, scope_for

# Sign-in opens this many minutes before a session starts, unless the session says otherwise.
SIGN_IN_OPENS_BEFORE_MINUTES = 30
ENDS_BEFORE_START = _("The session ends before it starts.")


def new_token():
    return secrets.token_urlsafe(24)


def oversight_scope(user):
    """Where the user follows others' study: liaisons, the office and the leading group see
    within their scope; a cadre alone oversees nobody, and the system roles nobody (三员分立)."""
    if not user.is_authenticated:
        return Scope()
    if user.is_superuser or has_role(user, Role.OFFICE, Role.LIAISON):
        return scope_for(user, VIEW)
    if has_role(user, *LEADING_GROUP):
        return scope_for(user, VIEW)
    return Scope()


class StudySessionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Sessions organised within the user's scope, or expecting cadres within it."""
        scope = scope_for(user, VIEW)
        if scope.empty:
            return self.none()
        if scope.all:
            return self.in_campaign()
        expecting = Attendance.objects.filter(session=OuterRef("pk")).filter(scope.q("unit__path"))
        return self.in_campaign().filter(scope.q("unit__path") | Q(Exists(expecting)))


def sub_kind_choices(campaign):
    """{study kind key: [(sub-kind key, name)]} of the kinds that have sub-kinds."""
    return {
        item["key"]: [(sub["key"], sub["name"]) for sub in item["sub_kinds"]]
        for item in campaign.config.get("lists", {}).get("study_kinds", [])
        if item.get("sub_kinds")
    }


class StudySession(TimeStampedModel):
    """A study session organised by a unit (the department's root unit: for all)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="study_sessions"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="study_sessions",
    )
    kind = models.CharField(_("kind"), max_length=50)
    # A key of the kind's `sub_kinds` in the template, when the kind has them.
    sub_kind = models.CharField(_("sub-kind"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    topics = models.JSONField(_("required topics covered"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    audience_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("expected units"), related_name="+", blank=True
    )
    sign_in_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sign_in_opens_before = models.PositiveSmallIntegerField(
        _("sign-in opens (minutes before the start)"), default=SIGN_IN_OPENS_BEFORE_MINUTES
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StudySessionQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        indexes = [models.Index(fields=["campaign", "starts_at"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": ENDS_BEFORE_START})

    @property
    def sign_in_opens_at(self):
        return self.starts_at - timedelta(minutes=self.sign_in_opens_before)

    def sign_in_open(self, now=None):
        now = now or timezone.now()
        return self.sign_in_opens_at <= now <= self.ends_at

    def is_held(self, now=None):
        return self.starts_at <= (now or timezone.now())

    def kind_name(self):
        name = dict(self.campaign.choices("study_kinds")).get(self.kind, self.kind)
        if self.sub_kind:
            subs = dict(sub_kind_choices(self.campaign).get(self.kind, []))
            return f"{name} · {subs.get(self.sub_kind, self.sub_kind)}"
        return name

    def topic_names(self):
        names = dict(self.campaign.choices("required_topics"))
        return [names.get(key, key) for key in self.topics]


class SessionMaterial(models.Model):
    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to="study/materials/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")

    def __str__(self):
        return self.name


class Attendance(models.Model):
    """One expected cadre at one session; `unit` is the cadre's unit when expected."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("attendance", "Not recorded")
        PRESENT = "present", pgettext_lazy("attendance", "Present")
        LEAVE = "leave", pgettext_lazy("attendance", "On leave")
        ABSENT = "absent", pgettext_lazy("attendance", "Absent")

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="attendances")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "session__campaign"

    class Meta:
        ordering = ["unit__path", "person__name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_unique"),
        ]
        indexes = [
            models.Index(fields=["session", "unit", "status"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.session}"


class DeliverableQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The author's own, and those of cadres the user oversees."""
        if not user.is_authenticated:
            return self.none()
        own = Q(person__user_id=user.pk)
        scope = oversight_scope(user)
        if scope.empty:
            return self.in_campaign().filter(own)
        if scope.all:
            return self.in_campaign()
        return self.in_campaign().filter(own | scope.q("unit__path"))


class Deliverable(TimeStampedModel):
    """One of a cadre's 三有 in one phase: written in the app or uploaded, then reviewed."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("deliverable", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("deliverable", "Awaiting review")
        RETURNED = "returned", pgettext_lazy("deliverable", "Returned")
        ACCEPTED = "accepted", pgettext_lazy("deliverable", "Accepted")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="deliverables"
    )
    phase = models.ForeignKey("campaigns.Phase", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="deliverables")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="study/deliverables/%Y/%m/", blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submissions = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = DeliverableQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        indexes = [
            models.Index(fields=["campaign", "phase", "unit", "kind", "state"]),
            models.Index(fields=["person", "phase"]),
        ]

    def __str__(self):
        return self.title

    def kind_name(self):
        return dict(self.campaign.choices("deliverable_kinds")).get(self.kind, self.kind)


class DeliverableEvent(models.Model):
    """The history of a deliverable: who did what, when, with the text or file at that time."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("deliverable event", "Created")
        EDITED = "edited", pgettext_lazy("deliverable event", "Edited")
        SUBMITTED = "submitted", pgettext_lazy("deliverable event", "Submitted")
        RESUBMITTED = "resubmitted", pgettext_lazy("deliverable event", "Resubmitted")
        RETURNED = "returned", pgettext_lazy("deliverable event", "Returned")
        ACCEPTED = "accepted", pgettext_lazy("deliverable event", "Accepted")

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    comment = models.TextField(blank=True)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    file = models.FileField(blank=True, max_length=255)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("deliverable event")
        verbose_name_plural = _("deliverable events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.deliverable}"


class StudyCompletion(models.Model):
    """Precomputed figures of one unit (with its subtree) in one column of the completion
    matrix: a session ("session:<id>"), a deliverable kind ("kind:<key>"), or the totals
    ("attendance", "deliverables", "completion"). Refreshed by a task."""

    ATTENDANCE = "attendance"
    DELIVERABLES = "deliverables"
    COMPLETION = "completion"

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    column = models.CharField(max_length=60)
    expected = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    rate = models.FloatField(null=True)
    computed_at = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        verbose_name = _("study completion figure")
        verbose_name_plural = _("study completion figures")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "column"], name="study_completion_unique"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "column", "rate"])]

    def __str__(self):
        return f"{self.unit_id} {self.column} {self.rate}"
