from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.forms import BootstrapFormMixin

SCORE_RANGE = _("Enter a score from 0 to 100.")


class ManualScoreRowForm(BootstrapFormMixin, forms.Form):
    """One unit's row on the manual scores page; an empty score leaves the unit as it is."""

    value = forms.DecimalField(
        label=pgettext_lazy("assessment", "score"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "min_value": SCORE_RANGE,
            "max_value": SCORE_RANGE,
            "invalid": SCORE_RANGE,
            "max_digits": SCORE_RANGE,
            "max_decimal_places": _("At most two decimal places."),
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "100"}),
    )
    note = forms.CharField(label=_("basis for the score"), required=False, max_length=300)
