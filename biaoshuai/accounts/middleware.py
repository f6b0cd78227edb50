"""Keeps a logged-in user on the way: two-factor verification, a due password change, then
two-factor setup for the roles that require it. Also binds the client's address for the
audit log."""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from biaoshuai.audit.context import bound_client_ip
from biaoshuai.core.net import client_ip

from .selectors import user_has_confirmed_device

# Views a user may reach while a step is pending: the steps themselves and logging out.
OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:password_change",
        "accounts:otp_setup",
        "accounts:otp_verify",
        "set_language",
        # Load balancers and monitoring (biaoshuai/ops).
        "ops:healthz",
        "ops:readyz",
        "ops:metrics",
    }
)
# Set in the session once we know the user has no confirmed device, to spare a query a request.
NO_DEVICE_KEY = "_otp_no_device"


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bound_client_ip(client_ip(request) or None):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.resolver_match.view_name in OPEN_VIEWS:
            return None
        target = pending_step(request)
        if not target:
            return None
        if request.headers.get("HX-Request"):
            # A partial (the bell's poll, a table) must not swap the step's whole page into
            # its element: the browser goes to the step, unless it is already there.
            response = HttpResponse(status=204)
            current = urlsplit(request.headers.get("HX-Current-URL", "")).path
            if current != reverse(target):
                response["HX-Redirect"] = reverse(target)
            return response
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def pending_step(request):
    """The url name of the step the logged-in user must take next, or None.

    A user with an authenticator proves it first (so a stolen password alone cannot change
    the password); then a due password change; then setting up two-factor when the role
    requires it.
    """
    user = request.user
    verified = user.is_verified()
    # The flag only spares queries for accounts that may go without two-factor.
    no_device_known = bool(request.session.get(NO_DEVICE_KEY)) and not user.requires_two_factor
    if not verified and not no_device_known and user_has_confirmed_device(user):
        return "accounts:otp_verify"
    if user.needs_password_change:
        return "accounts:password_change"
    if verified or no_device_known:
        return None
    if user.requires_two_factor:
        return "accounts:otp_setup"
    request.session[NO_DEVICE_KEY] = True
    return None
