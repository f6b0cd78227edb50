"""A browser the owner has logged in with before, remembered in a signed cookie.

The per-account delay after repeated failures (see `selectors.login_retry_at`) does not apply
to such a browser, so failures from elsewhere can slow down guessing but cannot keep the owner
out. The cookie names the last account that logged in with the browser; it cannot be forged
without SECRET_KEY, and it does not lift the lockout of an address.
"""

from django.conf import settings

COOKIE = "known_device"
_SALT = "biaoshuai.accounts.known-device"
_MAX_AGE = 180 * 24 * 3600


def known_device_remember(response, *, username):
    response.set_signed_cookie(
        COOKIE,
        username,
        salt=_SALT,
        max_age=_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def known_device_username(request):
    """The account this browser last logged in to ("" when none or the cookie is not ours)."""
    return request.get_signed_cookie(COOKIE, default="", salt=_SALT, max_age=_MAX_AGE)
