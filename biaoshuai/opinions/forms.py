from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.scope import MANAGE
from biaoshuai.core.uploads import validate_upload
from biaoshuai.org.models import Unit
from biaoshuai.org.widgets import UnitPicker, use_picker

from . import antiflood
from .models import Opinion
from .services import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_COUNT, ATTACHMENT_MAX_MB, TOO_MANY_FILES

NAME_REQUIRED = _("Give your name, or choose to stay anonymous.")
ACCEPT = ",".join(f".{ext}" for ext in ATTACHMENT_EXTENSIONS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ATTACHMENT_MAX_COUNT files, each checked for type and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = (
            [f for f in (data or []) if f]
            if isinstance(data, list | tuple)
            else [data]
            if data
            else []
        )
        if len(files) > ATTACHMENT_MAX_COUNT:
            raise ValidationError(TOO_MANY_FILES % {"count": ATTACHMENT_MAX_COUNT})
        errors = []
        for file in files:
            try:
                validate_upload(file, extensions=ATTACHMENT_EXTENSIONS, max_mb=ATTACHMENT_MAX_MB)
            except ValidationError as exc:
                errors.extend(f"{file.name}: {m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _unit_choices():
    return Unit.objects.filter(is_active=True).order_by("path")


class SubmitterFields(forms.Form):
    content = forms.CharField(
        label=_("Your opinion or suggestion"),
        min_length=5,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    unit_concerned = forms.ModelChoiceField(
        label=_("Unit concerned (if any)"), queryset=Unit.objects.none(), required=False
    )
    is_anonymous = forms.TypedChoiceField(
        label=_("Anonymous or named"),
        choices=[("1", _("Stay anonymous")), ("0", _("Give my name"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_(
            "If you give one, we send you the tracking code and tell you when there is a reply."
        ),
    )
    attachments = AttachmentsField(
        label=_("Attachments (optional)"),
        help_text=_("Up to 3 files: .jpg, .png, .pdf or .docx, at most 10 MB each."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_concerned"].queryset = _unit_choices()

    def clean(self):
        data = super().clean()
        if data.get("is_anonymous") is False and not (data.get("name") or "").strip():
            self.add_error("name", NAME_REQUIRED)
        return data


class PublicOpinionForm(BootstrapFormMixin, SubmitterFields):
    """The portal's form; the challenge is checked by the view after the fields are valid."""

    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(label=_("Question"), max_length=10, required=False)
    # The honeypot: hidden from people by CSS; a program filling every field fills it.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    field_order = [
        "content",
        "unit_concerned",
        "is_anonymous",
        "name",
        "phone",
        "email",
        "attachments",
        "answer",
        "website",
        "challenge",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["answer"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["is_anonymous"].widget.attrs["class"] = "form-check-input"

    def set_challenge(self):
        """Give the form a fresh question (also when re-shown after a rejected submission)."""
        token, question = antiflood.challenge_new()
        if self.is_bound:
            self.data = self.data.copy()
            self.data["challenge"] = token
            self.data["answer"] = ""
        else:
            self.initial["challenge"] = token
        self.fields["answer"].label = question
        # The bound field was cached when the form was cleaned, with the old label.
        self._bound_fields_cache.pop("answer", None)
        return self


class OpinionRecordForm(BootstrapFormMixin, SubmitterFields):
    """Staff record an opinion that came by visit, forum, phone or mail."""

    channel = forms.ChoiceField(label=_("Channel"))
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    field_order = [
        "channel",
        "received_on",
        "content",
        "unit_concerned",
        "is_anonymous",
        "name",
        "phone",
        "email",
        "attachments",
    ]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "---------"), *campaign.choices("opinion_channels")]
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["content"].label = _("Content")
        self.fields["name"].label = _("Submitter's name")
        self.fields["phone"].label = _("Submitter's phone (if given)")
        self.fields["email"].label = _("Submitter's e-mail (if given)")
        self.fields["email"].help_text = _(
            "If given, the tracking code is e-mailed to the submitter."
        )
        self.fields["is_anonymous"].choices = [("1", _("Anonymous")), ("0", _("Named"))]
        self.fields["is_anonymous"].label = _("Submitter")
        self.fields["is_anonymous"].widget.attrs["class"] = "form-check-input"

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class AssignForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    deadline = forms.DateField(
        label=_("Reply deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.restrict(user, MANAGE).filter(is_active=True).order_by("path")
        )
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE)


class ReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReturnForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Reason for returning"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassifyForm(BootstrapFormMixin, forms.Form):
    dimension = forms.ChoiceField(label=_("Problem dimension"), required=False)
    summary = forms.CharField(
        label=_("Summary for disclosure"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Written without anything that identifies the submitter."),
    )
    disclosure = forms.ChoiceField(label=_("Disclosure"), choices=Disclosure.choices)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [
            ("", "---------"),
            *campaign.choices("problem_dimensions"),
        ]


class OpinionFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Words in the opinion")}
        )
        self.fields["state"].choices = [("", _("All states")), *Opinion.State.choices]
        self.fields["unit"].queryset = (
            Unit.objects.restrict(user).filter(is_active=True).order_by("path")
        )
        self.fields["unit"].empty_label = _("All units")
        use_picker(self.fields["unit"], UnitPicker)


class TrackForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        )


class RateForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Opinion.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"


class ProblemFromGroupForm(BootstrapFormMixin, forms.Form):
    """Turn a group (all of it, or the items ticked on the page) into a problem of a unit."""

    whole_group = forms.BooleanField(
        label=_("All items of the group"), required=False, initial=True
    )
    unit = forms.ModelChoiceField(label=_("Unit responsible"), queryset=Unit.objects.none())
    dimension = forms.ChoiceField(label=_("Problem dimension"))
    description = forms.CharField(
        label=_("Description of the problem"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.restrict(user, MANAGE).filter(is_active=True).order_by("path")
        )
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE)
        self.fields["dimension"].choices = [
            ("", "---------"),
            *campaign.choices("problem_dimensions"),
        ]
