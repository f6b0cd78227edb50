"""Reads for accounts: login records, lockouts, and each account's security state."""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from biaoshuai.audit.selectors import date_range_q

from .models import LoginLog


def login_log_list(*, username="", success=None, date_from=None, date_to=None):
    """Login records, newest first, filtered by whatever is given."""
    records = LoginLog.objects.all()
    if username:
        records = records.filter(username__icontains=username)
    if success is not None:
        records = records.filter(success=success)
    return records.filter(date_range_q("at", date_from, date_to)).order_by("-at", "-id")


def login_failures_since(*, since):
    return LoginLog.objects.filter(success=False, at__gte=since).count()


def locked_usernames():
    """Usernames locked out now: failures within the cool-off reach the limit."""
    return (
        AccessAttempt.objects.filter(attempt_time__gte=_lockout_threshold())
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def user_is_locked(*, username):
    return locked_usernames().filter(username=username).exists()


def user_has_confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def account_security_list(*, text="", state=""):
    """Active accounts with their security state: `has_two_factor`, `recent_failures`
    (failed logins within the cool-off; locked when it reaches the limit) and
    `password_since` (when the password was last set)."""
    recent_failures = (
        AccessAttempt.objects.filter(
            username=OuterRef("username"), attempt_time__gte=_lockout_threshold()
        )
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            recent_failures=Coalesce(
                Subquery(recent_failures, output_field=IntegerField()), Value(0)
            ),
            password_since=Coalesce("password_changed_at", "date_joined"),
        )
    )
    if text:
        users = users.filter(Q(username__icontains=text) | Q(name__icontains=text))
    if state == "locked":
        users = users.filter(recent_failures__gte=settings.AXES_FAILURE_LIMIT)
    elif state == "no_two_factor":
        users = users.filter(has_two_factor=False)
    elif state == "expired":
        users = users.filter(_password_expired_q())
    return users.order_by("username")


def accounts_without_two_factor_count():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .count()
    )


def accounts_password_expired_count():
    return get_user_model().objects.filter(is_active=True).filter(_password_expired_q()).count()


def password_expiry_cutoff():
    """Passwords set before this moment have expired; None when expiry is off."""
    days = settings.PASSWORD_EXPIRY_DAYS
    return timezone.now() - timedelta(days=days) if days else None


def _password_expired_q():
    cutoff = password_expiry_cutoff()
    if cutoff is None:
        return Q(pk__in=[])
    return Q(is_demo=False) & (
        Q(password_changed_at__lt=cutoff)
        | Q(password_changed_at__isnull=True, date_joined__lt=cutoff)
    )


def _lockout_threshold():
    return timezone.now() - get_cool_off()
