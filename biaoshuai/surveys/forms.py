from django import forms
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin

from .models import Question, Survey

MATRIX_FIELD = "q{pk}_r{row}"


class SurveyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "description", "audience", "asks_unit", "in_assessment", "unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None


class SectionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)


class QuestionForm(BootstrapFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Question type"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question text"), max_length=300)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Choice questions: one option per line."),
    )
    rows = forms.CharField(
        label=_("Rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Matrix questions: one row per line, each rated on the satisfaction scale."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, required=False)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()

    def service_fields(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "required": data["required"],
            "options": data["options"].splitlines(),
            "rows": data["rows"].splitlines(),
            "section": data["section"],
            "order": data["order"],
        }


class RoundForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Round"), max_length=100, help_text=_("e.g. 2026"))
    starts_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(forms.Form):
    """The questionnaire itself: one field per question (per row for a matrix)."""

    def __init__(self, *args, survey, questions, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        scale = [(str(i), s["name"]) for i, s in enumerate(survey.scale)]
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Which unit are your answers about?"),
                queryset=units,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for question in questions:
            name = f"q{question.pk}"
            options = [(str(i), label) for i, label in enumerate(question.options)]
            kind = question.Kind
            if question.kind == kind.SINGLE:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect)
            elif question.kind == kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple
                )
            elif question.kind == kind.RATING:
                field = forms.ChoiceField(choices=scale, widget=forms.RadioSelect)
            elif question.kind == kind.TEXT:
                field = forms.CharField(
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                )
            else:
                for row, label in enumerate(question.rows):
                    self.fields[MATRIX_FIELD.format(pk=question.pk, row=row)] = forms.ChoiceField(
                        label=label,
                        choices=scale,
                        widget=forms.RadioSelect,
                        required=question.required,
                    )
                continue
            field.label = question.text
            field.required = question.required
            self.fields[name] = field

    def answers(self):
        """{question id: value} in the form the services take."""
        data, out = self.cleaned_data, {}
        for question in self.questions:
            if question.kind == question.Kind.MATRIX:
                out[question.pk] = {
                    row: data.get(MATRIX_FIELD.format(pk=question.pk, row=row)) or ""
                    for row in range(len(question.rows))
                }
            else:
                out[question.pk] = data.get(f"q{question.pk}")
        return out

    def sections(self):
        """[(section or None, [(question, [bound fields])])] in order, for the template."""
        groups = []
        for question in self.questions:
            if question.kind == question.Kind.MATRIX:
                fields = [
                    self[MATRIX_FIELD.format(pk=question.pk, row=row)]
                    for row in range(len(question.rows))
                ]
            else:
                fields = [self[f"q{question.pk}"]]
            if not groups or groups[-1][0] != question.section:
                groups.append((question.section, []))
            groups[-1][1].append((question, fields))
        return groups

    def add_service_errors(self, error):
        """Map the service's {"q<id>": message} errors onto the fields."""
        for key, messages in error.message_dict.items():
            target = key if key in self.fields else None
            if target is None and key.startswith("q"):
                target = next((n for n in self.fields if n.startswith(f"{key}_r")), None)
            for message in messages:
                self.add_error(target, message)
