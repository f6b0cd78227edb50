"""Opinions from every channel, their handling on the 12345 model, and the groupings
of opinions and self-check findings from which prominent problems are found."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosable, DisclosableQuerySet
from biaoshuai.core.fields import (
    BlindIndexedMixin,
    BlindIndexField,
    EncryptedCharField,
    EncryptedEmailField,
)
from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet


class OpinionQuerySet(DisclosableQuerySet):
    def overdue(self, today=None):
        """Assigned, not yet replied to, and past the deadline."""
        today = today or timezone.localdate()
        return self.filter(state__in=Opinion.WAITING_FOR_UNIT, deadline__lt=today)


class Opinion(BlindIndexedMixin, Disclosable, TimeStampedModel):
    """An opinion (意见) from any channel, with the unit it is assigned to and its reply.

    The submitter's identity is stored only when given; `tracking_code_hash` is the SHA-256
    of the tracking code, so the code itself is known only to whoever received it. Phone and
    e-mail are stored SM4-encrypted, matched through their blind indexes.
    """

    class State(models.TextChoices):
        NEW = "new", pgettext_lazy("opinion state", "New")
        ASSIGNED = "assigned", pgettext_lazy("opinion state", "Assigned")
        SIGNED = "signed", pgettext_lazy("opinion state", "Signed for")
        REPLIED = "replied", pgettext_lazy("opinion state", "Replied")
        RETURNED = "returned", pgettext_lazy("opinion state", "Returned")
        CLOSED = "closed", pgettext_lazy("opinion state", "Closed")
        REOPENED = "reopened", pgettext_lazy("opinion state", "Reopened")

    class Rating(models.TextChoices):
        # Keys of the campaign template's satisfaction scale.
        SATISFIED = "satisfied", _("Satisfied")
        FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    # The states in which the unit owes a reply.
    WAITING_FOR_UNIT = (State.ASSIGNED, State.SIGNED, State.RETURNED, State.REOPENED)
    SATISFIED_RATINGS = (Rating.SATISFIED, Rating.FAIRLY_SATISFIED)

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    channel = models.CharField(_("channel"), max_length=40)
    received_on = models.DateField(_("received on"))
    unit_concerned = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("content"))
    dimension = models.CharField(_("problem dimension"), max_length=40, blank=True)
    summary = models.TextField(_("summary for disclosure"), blank=True)

    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    submitter_name = models.CharField(_("submitter's name"), max_length=50, blank=True)
    submitter_phone = EncryptedCharField(_("phone"), max_length=30, blank=True)
    submitter_phone_index = BlindIndexField(source="submitter_phone", kind="phone")
    submitter_email = EncryptedEmailField(_("e-mail"), blank=True)
    submitter_email_index = BlindIndexField(source="submitter_email", kind="email")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tracking_code_hash = models.CharField(max_length=64, unique=True, editable=False)

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    deadline = models.DateField(_("reply deadline"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("first reply on time"), null=True, blank=True)
    review_note = models.TextField(_("reason for returning"), blank=True)
    reply_published_at = models.DateTimeField(_("reply published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment on the reply"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        indexes = [
            models.Index(fields=["campaign", "state"], name="opinion_campaign_state"),
            models.Index(fields=["deadline"], name="opinion_deadline"),
        ]

    def __str__(self):
        return _("Opinion No. %(pk)s") % {"pk": self.pk}

    @classmethod
    def published_q(cls):
        """Only a closed opinion with a summary written for disclosure can be shown."""
        return models.Q(state=cls.State.CLOSED) & ~models.Q(summary="")

    @property
    def is_overdue(self):
        return (
            self.state in self.WAITING_FOR_UNIT
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def can_be_rated(self):
        """The submitter may rate each published reply once."""
        return (
            self.state == self.State.CLOSED
            and self.reply_published_at is not None
            and (self.rated_at is None or self.rated_at < self.reply_published_at)
        )


def attachment_path(instance, filename):
    """A random name: the original name is kept in the row, never in the file system."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"opinions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class PublicSubmission(models.Model):
    """A one-time token of the public form, once the form has been sent with it.

    The first post of a form reserves its token (a primary key, so two posts at the same
    moment on different workers or machines cannot both get it) and records the opinion it
    made; a later post of the same form — a double click, a resubmit after a lost answer —
    finds that opinion instead of making another. Only a hash of the token is kept.
    """

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    opinion = models.OneToOneField(
        Opinion,
        verbose_name=_("opinion"),
        on_delete=models.CASCADE,
        null=True,
        related_name="public_submission",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public form submission")
        verbose_name_plural = _("public form submissions")

    def __str__(self):
        return self.key[:12]


class OpinionAttachment(models.Model):
    """A file sent with an opinion (checked for type and size before it is saved)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))

    objects = ScopedQuerySet.as_manager()
    campaign_field = "opinion__campaign"
    scope_path = "opinion__unit__path"

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class GroupingRun(models.Model):
    """One computation of the similarity groups of a campaign's opinions and findings."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("grouping state", "Waiting")
        DONE = "done", pgettext_lazy("grouping state", "Done")
        FAILED = "failed", pgettext_lazy("grouping state", "Failed")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="opinion_groupings"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    group_count = models.PositiveIntegerField(_("groups"), default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("grouping")
        verbose_name_plural = _("groupings")

    def __str__(self):
        return f"{self.campaign} {self.requested_at:%Y-%m-%d %H:%M}"


class OpinionGroup(models.Model):
    """Near-duplicate opinions and findings, with their most telling keywords."""

    run = models.ForeignKey(GroupingRun, on_delete=models.CASCADE, related_name="groups")
    dimension = models.CharField(_("problem dimension"), max_length=40, blank=True)
    keywords = models.JSONField(_("keywords"), default=list)
    size = models.PositiveIntegerField(_("items"))
    sample = models.TextField(_("sample"), blank=True)

    class Meta:
        ordering = ["-size", "id"]
        verbose_name = _("opinion group")
        verbose_name_plural = _("opinion groups")

    def __str__(self):
        return "、".join(self.keywords[:3]) or str(self.pk)


class GroupMember(models.Model):
    """One opinion or self-check finding in a group; `unit` scopes who may see it."""

    class Kind(models.TextChoices):
        OPINION = "opinion", pgettext_lazy("group member", "Opinion")
        SELF_CHECK = "self_check", _("Self-check finding")

    group = models.ForeignKey(OpinionGroup, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    dimension = models.CharField(max_length=40, blank=True)
    text = models.TextField()

    objects = ScopedQuerySet.as_manager()
    campaign_field = "group__run__campaign"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "source_id"], name="group_member_source")]

    def __str__(self):
        return f"{self.kind}:{self.source_id}"


# What opinion intake keeps beside the opinions: pushes through the API made safe to retry,
# call-backs to the integrator, and the mailbox's messages. The tables keep the names they
# had when these models lived in the api app.


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a token sent with a push: the same key gives the same answer.

    The row is inserted first, inside the push's transaction, so that a concurrent retry
    with the same key waits on the unique constraint and then reads the stored answer.
    """

    token = models.ForeignKey("api.ApiToken", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "api_idempotencykey"
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_unique"),
        ]

    def __str__(self):
        return self.key


class PushedOpinion(models.Model):
    """An opinion pushed through the API: which token pushed it, under which external id.
    The pushing token may read the opinion's status and reply whatever unit handles it."""

    token = models.ForeignKey("api.ApiToken", on_delete=models.PROTECT, related_name="pushed")
    opinion = models.OneToOneField(
        "opinions.Opinion", on_delete=models.CASCADE, related_name="api_push"
    )
    external_id = models.CharField(max_length=100, blank=True)
    tracking_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "api_pushedopinion"
        constraints = [
            models.UniqueConstraint(
                fields=["token", "external_id"],
                condition=~models.Q(external_id=""),
                name="api_push_unique_external_id",
            ),
        ]

    def __str__(self):
        return f"{self.token_id}:{self.external_id or self.opinion_id}"


class WebhookDelivery(models.Model):
    """One call-back to a token's webhook, with its attempts (exponential back-off)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    token = models.ForeignKey("api.ApiToken", on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50)
    opinion = models.ForeignKey(
        "opinions.Opinion", null=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "api_webhookdelivery"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} → {self.token_id} ({self.state})"


class MailboxMessage(models.Model):
    """A message read from the opinion mailbox: its Message-ID is taken in only once."""

    message_id = models.CharField(max_length=500, unique=True)
    opinion = models.ForeignKey(
        "opinions.Opinion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = EncryptedEmailField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    # The senders were encrypted while this model was the api app's: the context stays.
    encryption_label = "api.mailboxmessage"

    class Meta:
        db_table = "api_mailboxmessage"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.message_id
