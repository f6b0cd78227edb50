from django import forms
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin

from .models import ApiToken, Scope

# The unit tree is org's, a layer above this one: the choices come through the token's
# foreign key rather than an import of org.
Unit = ApiToken.unit.field.related_model


class UnitTreeChoiceField(forms.ModelChoiceField):
    """Units indented by depth, so the choices read as the tree."""

    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}"


class TokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Integrator"), max_length=100)
    unit = UnitTreeChoiceField(
        label=_("Unit scope"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        required=False,
        empty_label=_("Every unit"),
        help_text=_("The token sees this unit and the units below it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: never."),
    )
    webhook_url = forms.URLField(
        label=_("Webhook URL"),
        assume_scheme="https",
        required=False,
        max_length=500,
        help_text=_("Called when a reply to an opinion pushed with this token is published."),
    )
    rate_limit = forms.IntegerField(
        label=_("Requests per minute"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Empty: the site's default."),
    )
