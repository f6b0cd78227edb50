"""Integrators' tokens, and what the API keeps to make pushes safe to retry and to call back."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.fields import EncryptedEmailField
from biaoshuai.core.models import TimeStampedModel


class Scope(models.TextChoices):
    """What a token may do (OAuth-style scopes, `<area>:<access>`)."""

    OPINIONS_WRITE = "opinions:write", _("Push opinions")
    OPINIONS_READ = "opinions:read", _("Read opinions and their replies")
    STATS_READ = "stats:read", _("Read figures (study, assessment, publicity)")
    RECTIFICATION_READ = "rectification:read", _("Read problems and rectification items")
    ORG_READ = "org:read", _("Read units")
    CAMPAIGNS_READ = "campaigns:read", _("Read the campaign and its phases")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A key an integrator calls the API with, bound to a unit subtree (or every unit) and
    to scopes. Only the SHA-256 of the secret is stored; `prefix` finds the row."""

    name = models.CharField(_("integrator"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The token sees this unit and the units below it; empty: every unit."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=64, blank=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the site's default."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @staticmethod
    def hash_secret(secret):
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_usable(self):
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def has_scope(self, scope):
        return scope in self.scopes


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a token sent with a push: the same key gives the same answer.

    The row is inserted first, inside the push's transaction, so that a concurrent retry
    with the same key waits on the unique constraint and then reads the stored answer.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_unique"),
        ]

    def __str__(self):
        return self.key


class PushedOpinion(models.Model):
    """An opinion pushed through the API: which token pushed it, under which external id.
    The pushing token may read the opinion's status and reply whatever unit handles it."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="pushed")
    opinion = models.OneToOneField(
        "opinions.Opinion", on_delete=models.CASCADE, related_name="api_push"
    )
    external_id = models.CharField(max_length=100, blank=True)
    tracking_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
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

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="deliveries")
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

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.message_id
