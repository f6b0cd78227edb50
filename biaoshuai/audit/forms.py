from django import forms
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin

from .models import AuditEvent

DATE_RANGE_REVERSED = _("The start date must not be after the end date.")


class DateRangeFilterForm(BootstrapFormMixin, forms.Form):
    """A filter form with an optional date range (whole days, local time)."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", DATE_RANGE_REVERSED)
        return data

    def filters(self):
        """The valid filters, ready for a selector; nothing when the form has errors."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AuditEventFilterForm(DateRangeFilterForm):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
    )
    # A plain value matched exactly; the select only offers the types found in the log.
    object_type = forms.CharField(
        label=_("Object type"), required=False, max_length=100, widget=forms.Select
    )
    text = forms.CharField(label=_("Search"), required=False, max_length=100)
    field_order = ["text", "actor", "action", "object_type", "date_from", "date_to"]

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].widget.choices = [("", _("All object types")), *object_types]
