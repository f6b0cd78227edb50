from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.scope import MANAGE, VIEW
from biaoshuai.core.uploads import validate_upload
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.widgets import UnitPicker, use_picker

from .models import (
    IMAGE_EXTENSIONS,
    PROOF_EXTENSIONS,
    Exemplar,
    NewsArticle,
    Publication,
    ReviewState,
)
from .selectors import PERIOD_KINDS, period_for

APPEARANCE_ROWS = 4
END_BEFORE_START = _("The end date is before the start date.")
IMAGE_LIMIT_MB = 5


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleImageField, self).clean(f, initial) for f in files]
        for file in cleaned:
            validate_upload(file, extensions=IMAGE_EXTENSIONS, max_mb=IMAGE_LIMIT_MB)
        return cleaned


def _unit_field(user):
    units = Unit.objects.restrict(user, MANAGE).filter(is_active=True).order_by("path")
    return UnitChoiceField(queryset=units, label=_("unit"))


def _image(file):
    if file:
        validate_upload(file, extensions=IMAGE_EXTENSIONS, max_mb=IMAGE_LIMIT_MB)
    return file


class NewsForm(BootstrapFormMixin, forms.ModelForm):
    images = MultipleImageField(
        label=_("Images in the text"),
        required=False,
        help_text=_(
            "JPG or PNG. Write “[图1]”, “[图2]” … on a line of its own where an image goes; "
            "images not placed follow the text."
        ),
    )

    class Meta:
        model = NewsArticle
        fields = ["unit", "title", "author", "summary", "body", "cover", "disclosure_proposed"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12}), "cover": forms.FileInput}
        labels = {"disclosure_proposed": _("Proposed disclosure")}
        help_texts = {
            "body": _("One paragraph per line."),
            "disclosure_proposed": _("The campaign office decides the level when it publishes."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user)
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["disclosure_proposed"].required = True
        self.fields["disclosure_proposed"].choices = Disclosure.choices
        if self.instance.pk:
            self.fields["unit"].disabled = True
        if not self.fields["unit"].queryset.count() > 1:
            self.fields["unit"].initial = self.fields["unit"].queryset.first()

    def clean_cover(self):
        return _image(self.cleaned_data.get("cover"))


class ExemplarForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Exemplar
        fields = ["unit", "kind", "title", "person", "summary", "body", "disclosure_proposed"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        labels = {"disclosure_proposed": _("Proposed disclosure")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user)
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["person"].queryset = (
            Person.objects.restrict(user, MANAGE).filter(is_active=True).select_related("unit")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.unit.name}）"
        self.fields["disclosure_proposed"].required = True
        self.fields["disclosure_proposed"].choices = Disclosure.choices
        if self.instance.pk:
            self.fields["unit"].disabled = True


class PublishForm(BootstrapFormMixin, forms.Form):
    disclosure = forms.ChoiceField(label=_("disclosure"), choices=Disclosure.choices)


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DisclosureSetForm(forms.Form):
    kind = forms.CharField(max_length=100)
    pk = forms.IntegerField()
    level = forms.ChoiceField(choices=Disclosure.choices)


class ReviewFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=[("", _("All states")), *ReviewState.choices]
    )


class PublicationForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("unit"))
    title = forms.CharField(label=pgettext_lazy("headline", "title"), max_length=200)
    authors = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        label=_("cadre authors"),
        required=False,
        help_text=_("Cadres of the unit who wrote it."),
    )
    authors_text = forms.CharField(
        label=_("other authors"),
        max_length=200,
        required=False,
        help_text=_("Authors who are not in the cadre list, separated by “、”."),
    )
    proof = forms.FileField(
        label=_("proof"),
        required=False,
        help_text=_("A scan or photo of the piece: PDF, JPG or PNG."),
    )
    link = forms.URLField(label=_("link"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["unit"] = _unit_field(user)
        self.fields["unit"].widget.attrs["class"] = "form-select"
        people = Person.objects.restrict(user, MANAGE).filter(is_active=True)
        self.fields["authors"].queryset = people.select_related("unit").order_by(
            "unit__path", "name"
        )
        self.fields["authors"].label_from_instance = lambda p: f"{p.name}（{p.unit.name}）"
        self.fields["authors"].widget.attrs.update({"class": "form-select", "size": 6})
        media = [("", "—"), *campaign.choices("publication_media")]
        levels = [("", "—"), *campaign.choices("publication_levels")]
        for index in range(APPEARANCE_ROWS):
            required = index == 0
            self.fields[f"outlet_{index}"] = forms.CharField(
                label=_("outlet"), max_length=100, required=required
            )
            self.fields[f"medium_{index}"] = forms.ChoiceField(
                label=_("medium"), choices=media, required=required
            )
            self.fields[f"level_{index}"] = forms.ChoiceField(
                label=_("level"), choices=levels, required=required
            )
            self.fields[f"date_{index}"] = forms.DateField(
                label=_("published on"),
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            for name in ("outlet", "medium", "level", "date"):
                widget = self.fields[f"{name}_{index}"].widget
                css = "form-select" if name in ("medium", "level") else "form-control"
                widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else css

    def appearance_rows(self):
        return [
            [self[f"{name}_{i}"] for name in ("outlet", "medium", "level", "date")]
            for i in range(APPEARANCE_ROWS)
        ]

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof:
            validate_upload(proof, extensions=PROOF_EXTENSIONS, max_mb=10)
        return proof

    def clean(self):
        data = super().clean()
        appearances = []
        for i in range(APPEARANCE_ROWS):
            values = [data.get(f"{name}_{i}") for name in ("outlet", "medium", "level", "date")]
            if not any(values):
                continue
            if not all(values):
                raise ValidationError(
                    _("Row %(row)s of the appearances is incomplete.") % {"row": i + 1}
                )
            appearances.append(
                dict(zip(("outlet", "medium", "level", "published_on"), values, strict=True))
            )
        data["appearances"] = appearances
        unit, authors = data.get("unit"), data.get("authors") or []
        if unit is not None and any(not a.unit.path.startswith(unit.path) for a in authors):
            self.add_error(
                "authors", _("Cadre authors must belong to the unit or a unit below it.")
            )
        return data

    @classmethod
    def initial_for(cls, publication):
        initial = {
            "unit": publication.unit,
            "title": publication.title,
            "authors": list(publication.authors.all()),
            "authors_text": publication.authors_text,
            "link": publication.link,
        }
        for i, appearance in enumerate(publication.appearances.all()[:APPEARANCE_ROWS]):
            initial.update(
                {
                    f"outlet_{i}": appearance.outlet,
                    f"medium_{i}": appearance.medium,
                    f"level_{i}": appearance.level,
                    f"date_{i}": appearance.published_on,
                }
            )
        return initial


class PublicationFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[("", _("All states")), *Publication.State.choices],
    )
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("unit"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, VIEW).filter(is_active=True)
        use_picker(self.fields["unit"], UnitPicker)
        self.fields["unit"].widget.attrs["class"] = "form-select"


class PeriodForm(BootstrapFormMixin, forms.Form):
    """A period for the leaderboards: the month/quarter/year containing a day, or a range."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, required=False)
    on = forms.DateField(
        label=_("Containing the day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(END_BEFORE_START)
        return data

    def chosen_period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("period") or "month"
        if kind == "custom":
            start = data.get("start") or today.replace(day=1)
            end = data.get("end") or today
            return period_for("custom", today, start=start, end=end)
        return period_for(kind, data.get("on") or today)
