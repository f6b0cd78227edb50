"""Pickers for long lists of units and cadres: a select that holds only the chosen options and
searches the server as one types (static/js/picker.js with the vendored Tom Select), so no page
sends hundreds of options. The field keeps its scoped queryset, which still validates."""

import copy
from urllib.parse import urlencode

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.scope import VIEW


class _Picker:
    kind = ""  # "units" or "people": the search endpoint
    placeholder = ""

    def __init__(self, attrs=None, *, action=VIEW, within=None, without_login=False):
        super().__init__(attrs)
        self.action, self.within, self.without_login = action, within, without_login

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        params = {"action": self.action}
        if self.within is not None:
            params["within"] = self.within.pk
        if self.without_login:
            params["without_login"] = 1
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker-url"] = f"{reverse(f'org:pick_{self.kind}')}?{urlencode(params)}"
        widget_attrs["data-picker-placeholder"] = str(self.placeholder)
        widget_attrs["data-picker-empty"] = str(_("No match"))
        return context

    def optgroups(self, name, value, attrs=None):
        """Only the chosen options (and the empty one): the browser fetches the others."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return super().optgroups(name, value, attrs)
        chosen = [v for v in value if str(v).isdigit()]
        narrowed = copy.copy(choices)
        narrowed.queryset = choices.queryset.filter(pk__in=chosen)
        self.choices = narrowed
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


class UnitPicker(_Picker, forms.Select):
    kind = "units"
    placeholder = _("Type part of a unit's name")


class UnitMultiplePicker(_Picker, forms.SelectMultiple):
    kind = "units"
    placeholder = _("Type part of a unit's name")


class PersonPicker(_Picker, forms.Select):
    kind = "people"
    placeholder = _("Type part of a cadre's name")


class PersonMultiplePicker(_Picker, forms.SelectMultiple):
    kind = "people"
    placeholder = _("Type part of a cadre's name")


def use_picker(field, widget_class, **options):
    """Gives a model choice field a picker, keeping its queryset, choices and CSS class."""
    css = field.widget.attrs.get("class", "form-select")
    field.widget = widget_class(attrs={"class": css}, **options)
    field.widget.choices = field.choices
    field.widget.is_required = field.required
    return field
