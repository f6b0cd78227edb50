"""Keeps a logged-in user on the way: a due password change first, then two-factor."""

from django.shortcuts import redirect
from django.urls import reverse

# Paths a user may reach before the password change or two-factor step is done.
_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/", "/accounts/", "/portal/", "/favicon")
# Set in the session once we know the user has no confirmed device, to spare a query a request.
NO_DEVICE_KEY = "_otp_no_device"


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            target = _pending_step(request, user)
            if target:
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def _pending_step(request, user):
    if user.needs_password_change:
        return "accounts:password_change"
    if user.is_verified() or request.session.get(NO_DEVICE_KEY):
        return None
    if user.totpdevice_set.filter(confirmed=True).exists():
        return "accounts:otp_verify"
    if user.requires_two_factor:
        return "accounts:otp_setup"
    request.session[NO_DEVICE_KEY] = True
    return None
