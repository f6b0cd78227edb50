"""Who is calling: an integrator's token (Authorization: Bearer …) or a logged-in user.

A token becomes a principal that the scope mechanism understands: its unit subtree (or
every unit) for reading, nothing for managing. So every endpoint uses the same
`Model.objects.restrict(principal, VIEW)` as the pages do.
"""

import hmac
import secrets

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from biaoshuai.core import shared
from biaoshuai.core.permissions import has_system_role
from biaoshuai.core.scope import MANAGE, VIEW, Scope

from . import errors
from .models import ApiToken

TOKEN_PREFIX = "bs_"
PREFIX_LENGTH = 8
DEFAULT_RATE_LIMIT = 120  # requests per token per minute
# last_used_at is written at most this often per token, so a call costs no extra write.
LAST_USED_EVERY = 60


class TokenPrincipal:
    """What `restrict(user, action)` needs of a user, for a token: its scope, no roles."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    system_role = ""
    pk = id = None

    def __init__(self, token):
        self.token = token
        view = Scope(all=True) if token.unit_id is None else Scope(paths=(token.unit.path,))
        self._scope_cache = {VIEW: view, MANAGE: Scope()}
        self._role_cache = ()

    def get_username(self):
        return f"api:{self.token.prefix}"


def token_generate():
    """(full token, prefix, secret hash): the full token is shown once, never stored."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    return f"{TOKEN_PREFIX}{prefix}_{secret}", prefix, ApiToken.hash_secret(secret)


def token_parse(raw):
    """(prefix, secret) of a presented token, or None."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix, secret


class TokenAuth(HttpBearer):
    """Authorization: Bearer bs_<prefix>_<secret>."""

    def authenticate(self, request, token):
        parsed = token_parse(token)
        if parsed is None:
            raise errors.ApiError(401, "token_invalid", errors.TOKEN_INVALID)
        prefix, secret = parsed
        found = ApiToken.objects.select_related("unit").filter(prefix=prefix).first()
        if found is None or not hmac.compare_digest(
            found.secret_hash, ApiToken.hash_secret(secret)
        ):
            raise errors.ApiError(401, "token_invalid", errors.TOKEN_INVALID)
        now = timezone.now()
        if found.revoked_at is not None:
            raise errors.ApiError(401, "token_revoked", errors.TOKEN_REVOKED)
        if found.expires_at is not None and found.expires_at <= now:
            raise errors.ApiError(401, "token_expired", errors.TOKEN_EXPIRED)
        request.api_token = found
        rate_check(found, now)
        _touch(found, now)
        request.api_principal = TokenPrincipal(found)
        return found


class SessionCsrfAuth(SessionAuth):
    """A logged-in user's session; writes must carry the CSRF token (X-CSRFToken)."""

    def __call__(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None  # no session: 401, not a CSRF failure
        if self.csrf and check_csrf(request):
            raise errors.ApiError(403, "csrf_failed", errors.CSRF_FAILED)
        request.api_principal = user
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


def principal(request):
    """The token's principal or the logged-in user, for `restrict()`."""
    return request.api_principal


def token_of(request):
    return getattr(request, "api_token", None)


def require_scope(request, scope, *, page):
    """Tokens need the scope; a logged-in user passes the same check as the page showing the
    same records (`page`, the predicate its view gives `user_passes`).

    So a session answers what the page answers: 404 for a system role on a business page
    (三员分立), 403 for a role the page refuses; then the same `restrict()` limits the rows.
    """
    token = token_of(request)
    if token is not None:
        if not token.has_scope(scope):
            raise errors.ApiError(
                403,
                "scope_missing",
                errors.SCOPE_MISSING % {"scope": scope},
                extra={"scope": scope},
            )
        return
    user = principal(request)
    if not getattr(page, "for_system_roles", False) and has_system_role(user):
        raise errors.not_found()
    if not page(user):
        raise errors.ApiError(403, "forbidden", errors.FORBIDDEN)


def rate_check(token, now):
    """A window of a minute per token, counted where every worker and machine sees it."""
    limit = token.rate_limit or getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    key = f"api:rate:{token.pk}"
    if shared.hit(key, seconds=60) > limit:
        seconds = shared.expires_in(key) or 60
        raise errors.ApiError(
            429,
            "rate_limited",
            errors.RATE_LIMITED % {"limit": limit, "seconds": seconds},
            headers={"Retry-After": str(seconds)},
        )


def _touch(token, now):
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
