from django import forms
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.scope import MANAGE
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.widgets import PersonPicker, UnitPicker, use_picker

from .models import PersonalPlan, ProblemSource, RectificationItem, Severity
from .services.items import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_MB

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _unit_field(user, action, required=False):
    field = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.restrict(user, action).filter(is_active=True).order_by("path"),
        required=required,
        empty_label=_("All units") if not required else "---------",
    )
    return use_picker(field, UnitPicker, action=action)


class LedgerFilterForm(BootstrapFormMixin, forms.Form):
    URGENCY = [
        ("", _("Any deadline")),
        ("overdue", _("Overdue")),
        ("due_today", _("Due today")),
        ("due_soon", _("Due within 7 days")),
    ]
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    urgency = forms.ChoiceField(label=_("Deadline"), choices=URGENCY, required=False)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user, "view")
        self.fields["unit"].widget.attrs["class"] = "form-select"
        dims = campaign.choices("problem_dimensions") if campaign else []
        self.fields["dimension"].choices = [("", _("All dimensions")), *dims]
        self.fields["state"].choices = [("", _("All states")), *RectificationItem.State.choices]


class ProblemFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user, "view")
        self.fields["unit"].widget.attrs["class"] = "form-select"
        dims = campaign.choices("problem_dimensions") if campaign else []
        self.fields["dimension"].choices = [("", _("All dimensions")), *dims]


class ProblemForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    dimension = forms.ChoiceField(label=_("Dimension"))
    area = forms.ChoiceField(label=_("Area"), required=False)
    description = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    source_kind = forms.ChoiceField(label=_("Source"), required=False)
    source_label = forms.CharField(label=_("Source details"), required=False, max_length=200)
    disclosure = forms.ChoiceField(
        label=_("Disclosure"), choices=Disclosure.choices, initial=Disclosure.RESTRICTED
    )

    def __init__(self, *args, user, campaign, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user, MANAGE, required=True)
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["dimension"].choices = campaign.choices("problem_dimensions")
        self.fields["area"].choices = [("", "—"), *campaign.choices("problem_areas")]
        self.fields["source_kind"].choices = ProblemSource.Kind.choices
        if editing:
            del self.fields["source_kind"]
            del self.fields["source_label"]


class ItemForm(BootstrapFormMixin, forms.Form):
    measure = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    leader_name = forms.CharField(label=_("Responsible leader"), max_length=50, required=False)
    person = forms.ModelChoiceField(
        label=_("Responsible person (cadre)"), queryset=Person.objects.none(), required=False
    )
    person_name = forms.CharField(
        label=_("Responsible person"),
        max_length=50,
        required=False,
        help_text=_("Leave empty to use the cadre chosen above."),
    )
    kind = forms.ChoiceField(label=_("Kind"))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    criteria = forms.CharField(
        label=_("Completion criteria"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, user, problem, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user, MANAGE).filter(
            is_active=True, path__subtree=problem.unit.path
        )
        self.fields["unit"] = forms.ModelChoiceField(
            label=_("Responsible unit"), queryset=units.order_by("path")
        )
        self.fields["unit"].widget.attrs["class"] = "form-select"
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE, within=problem.unit)
        self.fields["person"].queryset = (
            Person.objects.restrict(user, MANAGE)
            .filter(is_active=True, unit__path__subtree=problem.unit.path)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        use_picker(self.fields["person"], PersonPicker, action=MANAGE, within=problem.unit)
        self.fields["kind"].choices = problem.campaign.choices("rectification_kinds")


class ProgressForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(
        label=_("Percent done"), min_value=0, max_value=100, required=False
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, pictures, Word or Excel; up to %(mb)s MB each.")
        % {"mb": EVIDENCE_MAX_MB},
    )

    def __init__(self, *args, computed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ",".join(f".{e}" for e in EVIDENCE_EXTENSIONS)
        if computed:
            del self.fields["percent"]


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeadlineChangeForm(BootstrapFormMixin, forms.Form):
    proposed = forms.DateField(label=_("Proposed deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeadlineDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Ledger workbook (.xlsx)"))


class PlanProblemForm(BootstrapFormMixin, forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    text = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", "—"), *campaign.choices("problem_dimensions")]


class PlanMeasureForm(BootstrapFormMixin, forms.Form):
    problem = forms.ChoiceField(label=_("Against the problem"), required=False)
    aspect = forms.ChoiceField(label=_("Aspect"), required=False)
    measure = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("To be done by"), widget=DATE)
    done_when = forms.CharField(
        label=_("How it will be seen to be done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Something others can see and check."),
    )

    def __init__(self, *args, plan, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [("", "—"), *((str(p.pk), p.text[:40]) for p in problems)]
        self.fields["aspect"].choices = [("", "—"), *plan.campaign.choices("personal_plan_aspects")]


class PlanActionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    done = forms.BooleanField(label=_("This measure is now done"), required=False)


class PlanReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))]
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PlanFilterForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user, "view")
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["state"].choices = [("", _("All states")), *PersonalPlan.State.choices]
