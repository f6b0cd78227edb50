from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.fields import EncryptedEmailField
from biaoshuai.core.roles import SystemRole


class User(AbstractUser):
    """A login. Campaign roles come from org.RoleAssignment; system roles live here."""

    name = models.CharField(_("full name"), max_length=50, blank=True)
    # A cadre's login carries the cadre's e-mail: stored SM4-encrypted like it (core.fields).
    email = EncryptedEmailField(_("email address"), blank=True)
    system_role = models.CharField(
        _("system role"), max_length=20, choices=SystemRole.choices, blank=True, default=""
    )
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Demo accounts skip the forced first change so a newcomer can look around at once.
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    @property
    def password_expired(self):
        days = settings.PASSWORD_EXPIRY_DAYS
        if not days or self.is_demo:
            return False
        changed = self.password_changed_at or self.date_joined
        return changed < timezone.now() - timedelta(days=days)

    @property
    def needs_password_change(self):
        return not self.is_demo and (self.must_change_password or self.password_expired)

    @property
    def requires_two_factor(self):
        return bool(self.system_role)


class LoginLog(models.Model):
    """Every login attempt: who, when, from where, with what browser, and the outcome."""

    class Reason(models.TextChoices):
        NONE = "", _("None")
        BAD_CREDENTIALS = "bad_credentials", _("Wrong username or password")
        LOCKED_OUT = "locked_out", _("Account locked")
        DELAYED = "delayed", _("Too soon after repeated failures")
        BAD_TOKEN = "bad_token", _("Wrong two-factor code")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    username = models.CharField(_("username"), max_length=150, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    success = models.BooleanField(_("success"))
    reason = models.CharField(_("reason"), max_length=100, choices=Reason.choices, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("login record")
        verbose_name_plural = _("login records")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
