from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.scope import MANAGE
from biaoshuai.org.forms import UnitChoiceField
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.selectors import unit_choices
from biaoshuai.org.widgets import PersonMultiplePicker, PersonPicker, UnitPicker, use_picker

from . import selectors
from .models import Discussion, ExemplarStatus, Pairing, Placement, Visit, VisitAttachment
from .services import UPLOAD_EXTENSIONS

DATE = {"type": "date"}
ANSWER_PREFIX = "answer_"


def _accept(extensions):
    return ",".join(f".{e}" for e in extensions)


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={**DATE, **(attrs or {})}, format="%Y-%m-%d")


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit.name}）"


class CadreMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit.name}）"


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box. Its `input_type` differs from a single checkbox's so the
    shared field template puts the label above it; each box is still an <input type=checkbox>."""

    input_type = "checkbox-list"

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["type"] = "checkbox"
        option["attrs"] = {**option["attrs"], "class": "form-check-input me-1"}
        return option


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by the service (type, content and size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _accept(UPLOAD_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DiscussionForm(BootstrapFormMixin, forms.ModelForm):
    """The record and one text box per question of the campaign's `discussion_questions`."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("unit"))
    participants = CadreMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("participating cadres"),
        widget=CheckboxList,
    )
    attendance = forms.IntegerField(
        label=pgettext_lazy("practice", "attendance"),
        min_value=0,
        required=False,
        help_text=_(
            "Everyone present, including those who are not cadres; left empty, the number of cadres chosen."
        ),
    )

    class Meta:
        model = Discussion
        fields = [
            "unit",
            "title",
            "held_on",
            "place",
            "host",
            "participants",
            "attendance",
            "conclusions",
            "follow_up",
        ]
        widgets = {
            "held_on": DateInput(),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, questions, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user=user)
        self.fields["participants"].queryset = selectors.participant_choices(user=user)
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE)
        use_picker(self.fields["participants"], PersonMultiplePicker, action=MANAGE)
        self.questions = questions
        answers = answers or {}
        position = list(self.fields).index("conclusions")
        items = list(self.fields.items())
        new = {}
        for key, name in questions:
            field = forms.CharField(
                label=name,
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                initial=answers.get(key, ""),
                max_length=5000,
            )
            new[ANSWER_PREFIX + key] = field
        self.fields = dict(items[:position] + list(new.items()) + items[position:])

    def clean(self):
        data = super().clean()
        if data.get("attendance") is None and "attendance" not in self.errors:
            data["attendance"] = len(data.get("participants") or [])
        return data

    def answers(self):
        return {
            key: self.cleaned_data.get(ANSWER_PREFIX + key, "") for key, _name in self.questions
        }

    def record_fields(self):
        data = dict(self.cleaned_data)
        for key, _name in self.questions:
            data.pop(ANSWER_PREFIX + key, None)
        data.pop("participants", None)
        return data


class PairingForm(BootstrapFormMixin, forms.ModelForm):
    cadre = CadreChoiceField(queryset=Person.objects.none(), label=_("cadre"))

    class Meta:
        model = Pairing
        fields = [
            "cadre",
            "paired_name",
            "paired_kind",
            "paired_address",
            "starts_on",
            "ends_on",
            "goals",
            "experience_summary",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "experience_summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, choose_cadre, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_cadre:
            self.fields["cadre"].queryset = selectors.cadre_choices(user=user)
            use_picker(self.fields["cadre"], PersonPicker, action=MANAGE)
        else:
            del self.fields["cadre"]
        if not self.instance.pk:
            del self.fields["experience_summary"]


class VisitForm(BootstrapFormMixin, forms.ModelForm):
    files = MultipleFileField(
        label=_("Photos and files"),
        required=False,
        help_text=_("jpg, png, pdf or docx; at most 10 MB each."),
    )
    remove = forms.ModelMultipleChoiceField(
        queryset=VisitAttachment.objects.none(),
        required=False,
        label=_("Remove attachments"),
        widget=CheckboxList,
    )

    class Meta:
        model = Visit
        fields = ["visited_on", "activities", "outcome", "problems_solved"]
        widgets = {
            "visited_on": DateInput(),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "problems_solved": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove"].queryset = self.instance.attachments.all()
            self.fields["remove"].widget.attrs["class"] = "checkbox-list"
        else:
            del self.fields["remove"]


class PlacementForm(BootstrapFormMixin, forms.ModelForm):
    cadre = CadreChoiceField(queryset=Person.objects.none(), label=_("cadre"))
    kind = forms.ChoiceField(label=_("kind"), choices=())
    report = forms.FileField(
        label=pgettext_lazy("practice", "report"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
        help_text=_("Optional: pdf or docx, at most 10 MB."),
    )

    class Meta:
        model = Placement
        fields = [
            "cadre",
            "kind",
            "host",
            "starts_on",
            "ends_on",
            "learning",
            "thinking",
            "experience",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "learning": forms.Textarea(attrs={"rows": 3}),
            "thinking": forms.Textarea(attrs={"rows": 3}),
            "experience": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, choose_cadre, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "---------"), *kinds]
        if choose_cadre:
            self.fields["cadre"].queryset = selectors.cadre_choices(user=user)
            use_picker(self.fields["cadre"], PersonPicker, action=MANAGE)
        else:
            del self.fields["cadre"]

    def record_fields(self):
        data = dict(self.cleaned_data)
        data.pop("report", None)
        return data


class ExemplarProposeForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("public summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What others can learn from it, in a few sentences the public may read."),
    )
    disclosure = forms.ChoiceField(
        label=_("proposed disclosure"), choices=Disclosure.choices, initial=Disclosure.PUBLIC
    )


class ExemplarConfirmForm(BootstrapFormMixin, forms.Form):
    disclosure = forms.ChoiceField(label=_("disclosure"), choices=Disclosure.choices)
    summary = forms.CharField(
        label=_("public summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExemplarDiscloseForm(BootstrapFormMixin, forms.Form):
    disclosure = forms.ChoiceField(label=_("disclosure"), choices=Disclosure.choices)


class ExemplarDeclineForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("practice", "reason"), max_length=300, required=False
    )


class ListFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    unit = UnitChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("unit"), empty_label=_("All units")
    )
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=())
    date_from = forms.DateField(
        label=pgettext_lazy("practice", "from"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(
        label=pgettext_lazy("practice", "to"), required=False, widget=DateInput()
    )
    exemplar = forms.ChoiceField(
        label=_("exemplar"),
        required=False,
        choices=[
            ("", _("All records")),
            ("any", _("Proposed or confirmed")),
            *[(value, label) for value, label in ExemplarStatus.choices if value],
        ],
    )

    def __init__(self, *args, user, kinds=None, exemplar=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user).order_by("path")
        use_picker(self.fields["unit"], UnitPicker)
        if kinds:
            self.fields["kind"].choices = [("", _("All kinds")), *kinds]
        else:
            del self.fields["kind"]
        if not exemplar:
            del self.fields["exemplar"]

    def filters(self):
        """The valid filters: a bad value in one field leaves the others applied."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def add_service_error(form, exc):
    """Put a service's ValidationError on the form's fields where they exist."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
