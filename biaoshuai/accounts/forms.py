from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin

WRONG_CURRENT_PASSWORD = _("Your current password is wrong.")
SAME_AS_CURRENT = _("The new password must differ from the current one.")
WRONG_TOKEN = _("The code is wrong or has expired. Try the current code.")


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. After %(limit)s failed attempts the account "
            "is locked for %(minutes)s minutes."
        ),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

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
