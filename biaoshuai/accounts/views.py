import base64
from io import BytesIO

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_auditadmin, is_secadmin, user_passes

from . import selectors, services
from .forms import (
    WRONG_TOKEN,
    AccountFilterForm,
    LoginForm,
    LoginLogFilterForm,
    PasswordChangeForm,
    TokenForm,
    UnlockForm,
)
from .known_device import known_device_remember
from .middleware import NO_DEVICE_KEY, pending_step
from .models import LoginLog


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return known_device_remember(response, username=form.get_user().get_username())

    def form_invalid(self, form):
        if form.has_error(NON_FIELD_ERRORS, "delayed"):
            services.login_log_record(
                request=self.request,
                username=form.cleaned_data["username"],
                success=False,
                reason=LoginLog.Reason.DELAYED,
            )
        return super().form_invalid(form)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Change one's password; the page says why when the change is forced."""
    if pending_step(request) == "accounts:otp_verify":
        return _to_step(request, "accounts:otp_verify")
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(user=user, password=form.cleaned_data["new_password1"], by=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect(_next_url(request))
    reason = ""
    if user.must_change_password and not user.is_demo:
        reason = _("This is an initial password. Please choose your own before going on.")
    elif user.password_expired:
        reason = _("Your password is older than %(days)s days. Please choose a new one.") % {
            "days": settings.PASSWORD_EXPIRY_DAYS
        }
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "reason": reason, "next": _next_url(request, default="")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Show a QR code for an authenticator app and confirm it with a first code."""
    step = pending_step(request)
    if step in ("accounts:otp_verify", "accounts:password_change"):
        return _to_step(request, step)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.pop(NO_DEVICE_KEY, None)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
        form.add_error("token", WRONG_TOKEN)
    buffer = BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, svgclass="qr"
    )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": buffer.getvalue().decode(),
            "secret": _base32(device.bin_key),
            "required": request.user.requires_two_factor,
            "next": _next_url(request, default=""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of logging in, for an account with an authenticator."""
    if pending_step(request) != "accounts:otp_verify":
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        services.login_log_record(
            request=request,
            username=request.user.get_username(),
            user=request.user,
            success=False,
            reason=LoginLog.Reason.BAD_TOKEN,
        )
        form.add_error("token", WRONG_TOKEN)
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, default="")}
    )


@login_required
@require_GET
def security(request):
    """The user's own security: two-factor on or off, and when the password was set."""
    return _security_page(request, TokenForm())


@login_required
@require_POST
def otp_disable(request):
    """Turn two-factor off after a current code; system roles cannot."""
    form = TokenForm(request.POST)
    if form.is_valid():
        devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
        if any(device.verify_token(form.cleaned_data["token"]) for device in devices):
            try:
                services.totp_device_remove(user=request.user, by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                request.session[NO_DEVICE_KEY] = True
                messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:security")
        form.add_error("token", WRONG_TOKEN)
    return _security_page(request, form, status=400)


@user_passes(is_secadmin)
@require_GET
def account_security(request):
    """For the security administrator: every account's two-factor, password age and lockout."""
    form = AccountFilterForm(request.GET or None)
    page = paginate(request, selectors.account_security_list(**form.filters()))
    return render(
        request,
        "accounts/account_security.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "expiry_cutoff": selectors.password_expiry_cutoff(),
        },
    )


@user_passes(is_secadmin)
@require_POST
def account_unlock(request):
    form = UnlockForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"]
        services.account_unlock(username=username, by=request.user)
        messages.success(request, _("Account %(username)s is unlocked.") % {"username": username})
    return redirect(_next_url(request, default=reverse("accounts:account_security")))


def _security_page(request, form, status=200):
    return render(
        request,
        "accounts/security.html",
        {
            "form": form,
            "has_device": selectors.user_has_confirmed_device(request.user),
            "required": request.user.requires_two_factor,
            "expiry_days": settings.PASSWORD_EXPIRY_DAYS,
        },
        status=status,
    )


def _to_step(request, step):
    next_url = _next_url(request, default="")
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return redirect(reverse(step) + query)


def _next_url(request, default=None):
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL if default is None else default


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _base32(key):
    return base64.b32encode(key).decode().rstrip("=")


@user_passes(is_auditadmin)
@require_GET
def login_log(request):
    form = LoginLogFilterForm(request.GET or None)
    records = selectors.login_log_list(**form.filters())
    return render(
        request,
        "accounts/login_log.html",
        {"form": form, "page": paginate(request, records), "query": _query_without_page(request)},
    )
