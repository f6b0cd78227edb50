from django import forms


class BootstrapFormMixin:
    """Gives every widget Bootstrap's classes, and marks fields with errors as invalid.

    Errors are read after cleaning (not in __init__) so that subclasses can still set
    choices and querysets before the form validates.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        # Also for errors a view adds after cleaning (a service's refusal on a field).
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        for name in self._errors or ():
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    widget.attrs["class"] = f"{css} is-invalid".strip()
