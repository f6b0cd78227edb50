"""Writes: tokens (created by the system administrator) and the audit line of every call."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record

from .auth import token_generate
from .models import ApiToken, Scope

ALREADY_REVOKED = _("This token is already revoked.")
UNKNOWN_SCOPE = _("Unknown scope: %(scope)s.")
NO_SCOPE = _("Choose at least one scope.")
EXPIRY_PAST = _("The expiry date must be in the future.")


@transaction.atomic
def api_token_create(
    *, by, name, scopes, unit=None, expires_at=None, webhook_url="", rate_limit=None
):
    """A new token: returns (token, the full secret, the webhook secret), shown only once."""
    scopes = sorted(set(scopes))
    for scope in scopes:
        if scope not in Scope.values:
            raise ValidationError({"scopes": UNKNOWN_SCOPE % {"scope": scope}})
    if not scopes:
        raise ValidationError({"scopes": NO_SCOPE})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": EXPIRY_PAST})
    full, prefix, secret_hash = token_generate()
    webhook_secret = secrets.token_hex(32) if webhook_url else ""
    token = ApiToken(
        name=name.strip(),
        prefix=prefix,
        secret_hash=secret_hash,
        unit=unit,
        scopes=scopes,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        rate_limit=rate_limit,
        expires_at=expires_at,
        created_by=by,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=by,
        action="create",
        obj=token,
        changes={"scopes": [None, scopes], "unit": [None, unit.pk if unit else None]},
    )
    return token, full, webhook_secret


@transaction.atomic
def api_token_revoke(*, token, by):
    """Revoke the token at once: every later call with it answers 401."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.full_clean()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=by, action="update", verb="revoke", obj=token)
    return token


def api_call_record(*, token, user, method, path, status):
    """One line in the audit log per API call (verb "api_call")."""
    audit_record(
        actor=user,
        action="other",
        verb="api_call",
        object_type="api.apitoken" if token is not None else "",
        object_repr=str(token) if token is not None else "",
        obj=token,
        changes={"method": method, "path": path[:300], "status": status},
    )
