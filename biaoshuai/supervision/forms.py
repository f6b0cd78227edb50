import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.scope import VIEW
from biaoshuai.org.models import Person, Unit

from .models import Bulletin, SupervisionItem, SupervisionTask, UnitReport
from .periods import participating_units

DEADLINE_PAST = _("The deadline to reply cannot be in the past.")
BAD_MONTH = _("Enter a month as YYYY-MM.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class TaskFilterForm(BootstrapFormMixin, forms.Form):
    WARNING_CHOICES = [
        ("", _("Any deadline")),
        ("yellow", pgettext_lazy("supervision warning", "Due soon")),
        ("red", pgettext_lazy("supervision warning", "Overdue")),
    ]
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    state = forms.ChoiceField(
        label=pgettext_lazy("supervision", "State"),
        required=False,
        choices=[
            ("", _("Any state")),
            ("owed", _("Owing a reply")),
            *SupervisionTask.State.choices,
        ],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All units")
    )
    warning = forms.ChoiceField(
        label=_("Deadline to reply"), required=False, choices=WARNING_CHOICES
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = participating_units().restrict(user, VIEW)


class ItemIssueForm(BootstrapFormMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    requirement = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(
        label=_("Deadline to reply"), widget=forms.DateInput(attrs={"type": "date"})
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several units."),
    )
    issuer = forms.ChoiceField(
        label=_("Issued in the name of"), choices=SupervisionItem.Issuer.choices
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = participating_units()

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(DEADLINE_PAST)
        return deadline


class ReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(label=_("What the unit did"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(
        label=_("Evidence files"), help_text=_("PDF, Word, Excel or pictures; several at once.")
    )


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class RemindForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Message"), max_length=300, required=False)


class InspectionForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Inspected unit"), queryset=Unit.objects.none())
    visited_on = forms.DateField(
        label=_("Date of visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    inspectors_text = forms.CharField(label=_("Inspection team"), max_length=300, required=False)
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors on record"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One finding per line."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = participating_units()
        # Inspectors come from the department (the root unit) and its sections.
        self.fields["inspectors"].queryset = (
            Person.objects.restrict(user, VIEW)
            .filter(is_active=True, unit__kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.SUB_UNIT])
            .select_related("unit")
            .order_by("unit__path", "name")
        )


class FindingForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))


class FindingProblemForm(BootstrapFormMixin, forms.Form):
    dimension = forms.ChoiceField(label=_("Problem dimension"), choices=())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = campaign.choices("problem_dimensions")


class FindingItemForm(ItemIssueForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["units"]


class ReportForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(label=_("Attachments"), help_text=_("PDF, Word, Excel or pictures."))


class ReportReviewForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportFilterForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All units")
    )
    state = forms.ChoiceField(
        label=pgettext_lazy("supervision", "State"),
        required=False,
        choices=[("", _("Any state")), *UnitReport.State.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = participating_units().restrict(user, VIEW)


class BulletinGenerateForm(BootstrapFormMixin, forms.Form):
    month = forms.CharField(
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_(
            "The bulletin covers this calendar month, or its quarter when the campaign's "
            "bulletins are quarterly."
        ),
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        try:
            year, month = (int(x) for x in value.split("-"))
            return datetime.date(year, month, 1)
        except (ValueError, TypeError) as exc:
            raise ValidationError(BAD_MONTH) from exc


class BulletinForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = [
            "title",
            "issuer",
            "number_prefix",
            "addressees",
            "opening",
            "overview",
            "praise",
            "criticism",
            "requirements",
            "copy_to",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": rows})
            for name, rows in [
                ("opening", 3),
                ("overview", 5),
                ("praise", 4),
                ("criticism", 5),
                ("requirements", 5),
            ]
        }
        help_texts = {
            "overview": _("One paragraph per line; start a line with （一） for a sub-heading."),
        }


class PublishForm(BootstrapFormMixin, forms.Form):
    disclosure = forms.ChoiceField(
        label=_("Disclosure"), choices=Disclosure.choices, initial=Disclosure.PUBLIC
    )
