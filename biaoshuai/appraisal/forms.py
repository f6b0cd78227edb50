from django import forms
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin

from .models import SelfRating


class SelfCheckForm(forms.Form):
    """Ratings per reference entry (r_<item>_<n>) and problems per dimension (f_<key>)."""

    def __init__(self, *args, items, dimensions, ratings=SelfRating.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.dimensions = items, dimensions
        for item in items:
            for index, entry in enumerate(item["entries"]):
                self.fields[f"r_{item['key']}_{index}"] = forms.ChoiceField(
                    label=entry,
                    choices=ratings,
                    widget=forms.RadioSelect,
                    required=False,
                )
        for key, name in dimensions:
            self.fields[f"f_{key}"] = forms.CharField(
                label=name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    def answers(self):
        data = self.cleaned_data
        return {
            item["key"]: [
                data.get(f"r_{item['key']}_{i}") or "" for i in range(len(item["entries"]))
            ]
            for item in self.items
        }

    def findings(self):
        return {key: self.cleaned_data.get(f"f_{key}", "") for key, _name in self.dimensions}

    def groups(self):
        return [
            (item, [self[f"r_{item['key']}_{i}"] for i in range(len(item["entries"]))])
            for item in self.items
        ]

    def finding_fields(self):
        return [self[f"f_{key}"] for key, _name in self.dimensions]


def initial_for(check, dimensions):
    """The form's initial values from a saved self-check."""
    initial = {}
    if check is None:
        return initial
    for key, ratings in check.ratings.items():
        for index, rating in enumerate(ratings):
            initial[f"r_{key}_{index}"] = rating
    for key, _name in dimensions:
        initial[f"f_{key}"] = "\n".join(f.text for f in check.findings.all() if f.dimension == key)
    return initial


class AppraisalForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    period = forms.CharField(label=_("Period"), max_length=50, help_text=_("e.g. the year 2026"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SelfAssessmentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Self-assessment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000
    )
    grade = forms.ChoiceField(label=_("The grade I think fits"), required=False)

    def __init__(self, *args, grades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "—"), *grades]


class GradesForm(forms.Form):
    """One grade per participant (g_<participant id>)."""

    def __init__(self, *args, participants, grades, prefix_name="g", required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for participant in participants:
            name = f"{prefix_name}_{participant.pk}"
            self.fields[name] = forms.ChoiceField(
                label=participant.person.name,
                choices=[("", "—"), *grades] if not required else grades,
                required=required,
                initial=participant.grade if prefix_name == "g" else None,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"})
                if not required
                else forms.RadioSelect,
            )
            self.rows.append((participant, self[name]))

    def grades(self):
        return {int(k.split("_", 1)[1]): v for k, v in self.cleaned_data.items()}
