import math

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.forms import DateRangeFilterForm
from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.net import client_ip

from .known_device import known_device_username
from .selectors import lockout_ends_at, login_retry_at

WRONG_CURRENT_PASSWORD = _("Your current password is wrong.")
SAME_AS_CURRENT = _("The new password must differ from the current one.")
WRONG_TOKEN = _("The code is wrong or has expired. Try the current code.")
LOGIN_DELAYED = _(
    "There have been too many failed attempts to log in to this account. "
    "Please try again after %(time)s (in %(seconds)s seconds)."
)


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. After %(limit)s failed attempts, logging in "
            "from this address is locked for %(minutes)s minutes."
        ),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        # Before the password is checked: a delayed try is neither tested nor counted.
        retry_at = self._retry_at(self.cleaned_data.get("username"))
        if retry_at is not None:
            raise forms.ValidationError(
                LOGIN_DELAYED,
                code="delayed",
                params={
                    "time": timezone.localtime(retry_at).strftime("%H:%M:%S"),
                    "seconds": math.ceil((retry_at - timezone.now()).total_seconds()),
                },
            )
        return super().clean()

    def _retry_at(self, username):
        """The account's delay, unless this browser is the owner's or this address is locked
        (axes then answers with its lockout page)."""
        request = self.request
        if not username or request is None or known_device_username(request) == username:
            return None
        if lockout_ends_at(username=username, ip=client_ip(request)) is not None:
            return None
        return login_retry_at(username=username)

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": round(settings.AXES_COOLOFF_TIME * 60),
            },
        )


class PasswordChangeForm(BootstrapFormMixin, SetPasswordForm):
    """New password twice, after the current one."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(WRONG_CURRENT_PASSWORD, code="wrong_password")
        return old

    def clean(self):
        data = super().clean()
        if data.get("old_password") and data.get("old_password") == data.get("new_password1"):
            self.add_error("new_password1", forms.ValidationError(SAME_AS_CURRENT, code="same"))
        return data


class TokenForm(BootstrapFormMixin, forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9]{6}",
            }
        ),
    )


class AccountFilterForm(BootstrapFormMixin, forms.Form):
    STATE_CHOICES = [
        ("", _("All accounts")),
        ("locked", _("Locked")),
        ("no_two_factor", _("Without two-factor")),
        ("expired", _("Password expired")),
    ]

    text = forms.CharField(label=_("Search"), required=False, max_length=150)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return self.cleaned_data


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)


class LoginLogFilterForm(DateRangeFilterForm):
    """The login log's filter (the audit administrator's page)."""

    SUCCESS_CHOICES = [("", _("All")), ("1", _("Succeeded")), ("0", _("Failed"))]

    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    success = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        choices=SUCCESS_CHOICES,
        coerce=lambda value: value == "1",
        empty_value=None,
    )
    field_order = ["username", "success", "date_from", "date_to"]
