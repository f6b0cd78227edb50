from django import forms

from .models import Channel


class PreferencesForm(forms.Form):
    """One channel choice per kind of notice."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for spec, channel in current:
            self.fields[spec.key] = forms.ChoiceField(
                label=spec.label,
                choices=Channel.choices,
                initial=channel,
                widget=forms.RadioSelect,
                required=False,
            )

    def clean(self):
        """Only the kinds answered: a kind left out keeps its current channel."""
        return {key: value for key, value in super().clean().items() if value}
