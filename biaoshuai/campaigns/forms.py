from django import forms
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin

from .models import PlanStep
from .template import (
    MAX_BYTES,
    TemplateError,
    template_choices,
    template_load,
    template_parse,
)

# Largest template file accepted (pasted text has the same limit, in template_parse).
TEMPLATE_MAX_BYTES = MAX_BYTES
NEED_SOURCE = _("Pick a shipped template, or upload or paste your own.")
BOTH_SOURCES = _("Pick a shipped template or give your own, not both.")
FILE_TOO_BIG = _("The file is larger than %(size)s KB.")
FILE_NOT_TEXT = _("The file is not UTF-8 text. Save it as UTF-8 and upload it again.")
FILE_NOT_YAML = _("Upload a .yaml or .yml file.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignCreateForm(BootstrapFormMixin, forms.Form):
    """A campaign from a shipped template or from the office's own YAML.

    An uploaded file's text is copied into the text box, so after an error the user can
    correct it in place instead of losing it.
    """

    template = forms.ChoiceField(
        label=_("Shipped template"), required=False, choices=lambda: _template_choices()
    )
    file = forms.FileField(
        label=_("Or upload a template"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )
    text = forms.CharField(
        label=_("Or paste or correct the template here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "font-monospace"}),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        widget=DateInput(),
        help_text=_("The first day of the first phase; the other dates follow from the template."),
    )
    make_current = forms.BooleanField(label=_("Make it the current campaign"), required=False)

    def __init__(self, data=None, files=None, **kwargs):
        self.template_errors = []
        self.template_data = None
        self.upload_error = None
        upload = files.get("file") if files else None
        if data is not None and upload is not None:
            text = self._read_upload(upload)
            if text is not None:
                data = data.copy()
                data["text"] = text
        super().__init__(data, files, **kwargs)

    def clean(self):
        cleaned = super().clean()
        key, text = cleaned.get("template"), (cleaned.get("text") or "").strip()
        if self.upload_error:
            self.add_error("file", self.upload_error)
            return cleaned
        if key and text:
            raise forms.ValidationError(BOTH_SOURCES)
        if not key and not text:
            raise forms.ValidationError(NEED_SOURCE)
        try:
            self.template_data = template_load(key) if key else template_parse(text)
        except TemplateError as exc:
            self.template_errors = exc.errors
            raise forms.ValidationError(
                _("The template has %(count)s problem(s); fix them and try again.")
                % {"count": len(exc.errors)}
            ) from exc
        return cleaned

    def _read_upload(self, upload):
        if not upload.name.lower().endswith((".yaml", ".yml")):
            self.upload_error = FILE_NOT_YAML
            return None
        if upload.size > TEMPLATE_MAX_BYTES:
            self.upload_error = FILE_TOO_BIG % {"size": TEMPLATE_MAX_BYTES // 1024}
            return None
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.upload_error = FILE_NOT_TEXT
            return None


class PlanStepStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanStep.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today."),
    )


def _template_choices():
    return [("", _("— my own template —")), *template_choices()]
