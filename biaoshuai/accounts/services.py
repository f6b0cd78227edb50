"""Writes for accounts: passwords, login records, two-factor devices, lockouts."""

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from biaoshuai.audit.services import audit_record
from biaoshuai.core.net import client_ip
from biaoshuai.core.roles import (
    CAMPAIGN_ROLE_EXCLUSIVE,
    SYSTEM_ROLE_HELD,
    SYSTEM_ROLE_UNKNOWN,
    SystemRole,
)

from .models import LoginLog

TWO_FACTOR_REQUIRED = _("Two-factor authentication is required for system roles.")


def login_log_record(*, request, username, success, user=None, reason=""):
    """One row of the login log: who, when, from which address and browser, and the outcome."""
    meta = request.META if request is not None else {}
    if user is None and username:
        user = get_user_model().objects.filter(username=username).first()
    record = LoginLog(
        username=(username or "")[:150],
        user=user,
        success=success,
        reason=reason,
        ip=(client_ip(request) if request is not None else "") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def password_set(*, user, password, by, initial=False):
    """Set a password after checking the policy. An initial password must be changed at login."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = initial and not user.is_demo
    user.password_changed_at = timezone.now()
    user.full_clean()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        actor=by,
        action="update",
        obj=user,
        verb="password_set",
        changes={"password": ["***", "***"], "must_change_password": [None, initial]},
    )
    return user


@transaction.atomic
def totp_device_start(*, user):
    """A fresh, unconfirmed TOTP device for the user to scan (replaces an unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name="TOTP", confirmed=False)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def totp_device_confirm(*, device, token):
    """Confirm the device with a first token; False when the token is wrong.

    A confirmed device replaces any earlier one: one authenticator per account.
    """
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=device.user,
        action="update",
        obj=device.user,
        verb="totp_enable",
        changes={"two_factor": [False, True]},
    )
    return True


@transaction.atomic
def totp_device_remove(*, user, by):
    """Turn two-factor off for an account; refused for system roles, which must keep it."""
    if user.requires_two_factor:
        raise ValidationError(TWO_FACTOR_REQUIRED, code="two_factor_required")
    removed, _count = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=by,
        action="update",
        obj=user,
        verb="totp_disable",
        changes={"two_factor": [True, False]},
    )
    return removed


@transaction.atomic
def account_unlock(*, username, by, via=""):
    """Lift an account's lockouts (at every address) and its login delay before the cool-off
    ends; returns how many failure records were cleared. `via` says how, for the audit log."""
    user = get_user_model().objects.filter(username=username).first()
    cleared = axes_reset(username=username)
    audit_record(
        actor=by,
        action="update",
        obj=user,
        object_type="" if user is not None else "accounts.user",
        object_repr=username,
        verb="unlock",
        changes={"locked": [True, False]},
        note="; ".join(filter(None, [f"failure records cleared: {cleared}", via])),
    )
    return cleared


@transaction.atomic
def user_create(
    *, username, password, by, name="", email="", system_role="", initial=True, is_demo=False
):
    """A new login. With `initial`, the password must be changed at the first login.

    A new account holds no role yet, so any one system role may be given here.
    """
    if system_role and system_role not in SystemRole.values:
        raise ValidationError({"system_role": SYSTEM_ROLE_UNKNOWN})
    user = get_user_model()(
        username=username,
        name=name,
        email=email,
        system_role=system_role,
        is_demo=is_demo,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = initial and not is_demo
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(
        actor=by,
        action="create",
        obj=user,
        changes={"username": [None, username], "system_role": [None, system_role]},
    )
    return user


@transaction.atomic
def user_system_role_set(*, user, system_role, by):
    """Give `user` one of the three system roles, or take it away ("").

    三员分立: the account may hold no campaign role and be linked to no cadre, and it holds
    one system role at most (moving it from one system role to another is refused too).
    """
    if system_role and system_role not in SystemRole.values:
        raise ValidationError({"system_role": SYSTEM_ROLE_UNKNOWN})
    before = user.system_role
    if before == system_role:
        return user
    if system_role and before:
        raise ValidationError({"system_role": SYSTEM_ROLE_HELD})
    if system_role and (
        user.role_assignments.exists() or getattr(user, "person", None) is not None
    ):
        raise ValidationError({"system_role": CAMPAIGN_ROLE_EXCLUSIVE})
    user.system_role = system_role
    user.full_clean(exclude=["password"])
    user.save(update_fields=["system_role"])
    audit_record(
        actor=by, action="update", obj=user, changes={"system_role": [before, system_role]}
    )
    return user
