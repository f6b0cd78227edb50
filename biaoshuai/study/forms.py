from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.scope import MANAGE
from biaoshuai.core.uploads import validate_upload
from biaoshuai.org.models import Unit
from biaoshuai.org.selectors import unit_choices
from biaoshuai.org.widgets import UnitMultiplePicker, UnitPicker, use_picker

from .models import SIGN_IN_OPENS_BEFORE_MINUTES, Deliverable, sub_kind_choices

MATERIAL_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "jpg", "png"]
DELIVERABLE_EXTENSIONS = ["docx", "pdf"]
# Signatures core does not know yet: an Office Open XML file is a zip archive.
_EXTRA_MAGIC = {"pptx": b"PK\x03\x04"}
NOT_PPTX = _("The file's content is not a valid .pptx file.")
ENDS_BEFORE_START = _("The session ends before it starts.")
SUB_KIND_NEEDED = _("Choose one of this kind's sub-kinds.")
SUB_KIND_NONE = _("This kind has no sub-kinds.")


def check_upload(file, extensions):
    validate_upload(file, extensions=extensions)
    ext = file.name.rsplit(".", 1)[-1].lower()
    signature = _EXTRA_MAGIC.get(ext)
    if signature:
        head = file.read(len(signature))
        file.seek(0)
        if head != signature:
            raise ValidationError(NOT_PPTX, code="file_content")
    return file


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    sub_kind = forms.ChoiceField(
        label=_("Sub-kind"),
        required=False,
        help_text=_("For the kinds that the campaign divides further."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Organising unit"))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    speaker = forms.CharField(label=_("Speaker"), max_length=100, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Required topics covered"), widget=forms.CheckboxSelectMultiple, required=False
    )
    audience_units = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Expected units"),
        required=False,
        help_text=_(
            "The active cadres of these units and the units below them are expected. "
            "Leave empty for the organising unit's."
        ),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    sign_in_opens_before = forms.IntegerField(
        label=_("Sign-in opens (minutes before the start)"),
        min_value=0,
        max_value=24 * 60,
        initial=SIGN_IN_OPENS_BEFORE_MINUTES,
    )

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = campaign.choices("study_kinds")
        self.sub_kinds = sub_kind_choices(campaign)
        if self.sub_kinds:
            names = dict(campaign.choices("study_kinds"))
            self.fields["sub_kind"].choices = [
                ("", "—"),
                *[(names.get(kind, kind), subs) for kind, subs in self.sub_kinds.items()],
            ]
        else:
            del self.fields["sub_kind"]
        self.fields["topics"].choices = campaign.choices("required_topics")
        units = unit_choices(user=user)
        self.fields["unit"].queryset = units
        self.fields["audience_units"].queryset = units
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE)
        use_picker(self.fields["audience_units"], UnitMultiplePicker, action=MANAGE)
        self.fields["topics"].widget.attrs["class"] = ""

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", ENDS_BEFORE_START)
        if "sub_kind" in self.fields and data.get("kind"):
            subs = dict(self.sub_kinds.get(data["kind"], []))
            if subs and data.get("sub_kind") not in subs:
                self.add_error("sub_kind", SUB_KIND_NEEDED)
            elif not subs and data.get("sub_kind"):
                self.add_error("sub_kind", SUB_KIND_NONE)
        return data


class MaterialForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Material"), help_text=_("PDF, Word, PowerPoint, Excel, JPG or PNG.")
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], MATERIAL_EXTENSIONS)


class DeliverableForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_("Write here, or upload a file below. Paragraphs are kept."),
    )
    file = forms.FileField(label=_("File"), required=False, help_text=_("Word (.docx) or PDF."))

    def __init__(self, *args, campaign, fixed_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = campaign.choices("deliverable_kinds")
        if fixed_kind is not None:
            del self.fields["kind"]

    def clean_file(self):
        file = self.cleaned_data.get("file")
        return check_upload(file, DELIVERABLE_EXTENSIONS) if file else None


class ReviewForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *choices]
        self.fields["q"].widget.input_type = "search"


DELIVERABLE_STATE_CHOICES = Deliverable.State.choices
