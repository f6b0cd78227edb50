"""Integrators' tokens, and what the API keeps to make pushes safe to retry and to call back."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
