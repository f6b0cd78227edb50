"""Reads for accounts: login records, lockouts, and each account's security state."""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
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
    """Usernames locked out now at one address at least: that address's failures within the
    cool-off reach the limit. The owner at another address is not locked out."""
    return (
        _locked_pairs(AccessAttempt.objects.filter(attempt_time__gte=_lockout_threshold()))
        .values_list("username", flat=True)
        .distinct()
    )


def user_is_locked(*, username):
    return locked_usernames().filter(username=username).exists()


def lockout_ends_at(*, username, ip):
    """When the lockout of `username` at address `ip` ends; None when it is not locked there.

    Attempts during a lockout are not recorded, so it ends one cool-off after the failure
    that started it.
    """
    attempts = AccessAttempt.objects.filter(
        username=username, ip_address=ip or None, attempt_time__gte=_lockout_threshold()
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (attempts["failures"] or 0) < settings.AXES_FAILURE_LIMIT:
        return None
    return attempts["last"] + get_cool_off()


def login_retry_at(*, username):
    """When a password may next be tried for `username`, or None for now.

    Failures from every address count together: from LOGIN_DELAY_AFTER failures within the
    cool-off on, each try waits 1, 2, 4 ... seconds after the last failure, at most
    LOGIN_DELAY_MAX_SECONDS, so guessing from many addresses stays slow while the owner waits
    a minute at most. Tries refused while waiting are not failures and do not lengthen it.
    """
    after = settings.LOGIN_DELAY_AFTER
    if not username or after <= 0:
        return None
    attempts = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=_lockout_threshold()
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    over = (attempts["failures"] or 0) - after
    if over < 0:
        return None
    delay = min(settings.LOGIN_DELAY_MAX_SECONDS, 2 ** min(over, 30))
    retry_at = attempts["last"] + timedelta(seconds=delay)
    return retry_at if retry_at > timezone.now() else None


def user_has_confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def account_security_list(*, text="", state=""):
    """Active accounts with their security state: `has_two_factor`, `recent_failures`
    (failed logins within the cool-off, all addresses together), `locked` (locked out at one
    address at least) and `password_since` (when the password was last set)."""
    recent = AccessAttempt.objects.filter(
        username=OuterRef("username"), attempt_time__gte=_lockout_threshold()
    )
    recent_failures = recent.values("username").annotate(total=Sum("failures_since_start"))
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            recent_failures=Coalesce(
                Subquery(recent_failures.values("total"), output_field=IntegerField()),
                Value(0),
            ),
            locked=Exists(_locked_pairs(recent)),
            password_since=Coalesce("password_changed_at", "date_joined"),
        )
    )
    if text:
        users = users.filter(Q(username__icontains=text) | Q(name__icontains=text))
    if state == "locked":
        users = users.filter(locked=True)
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


def _locked_pairs(attempts):
    """(username, address) pairs among `attempts` whose failures reach the limit."""
    return (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )


def _lockout_threshold():
    return timezone.now() - get_cool_off()
