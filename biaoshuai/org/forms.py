from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.forms import BootstrapFormMixin
from biaoshuai.core.roles import Role
from biaoshuai.core.scope import MANAGE, scope_for, unit_admin_action
from biaoshuai.core.uploads import validate_upload

from .models import Person, Unit
from .selectors import people_without_login, unit_choices
from .widgets import PersonPicker, UnitPicker, use_picker

ROOT_NOT_ALLOWED = _("Choose the parent unit; only the campaign office may add a top-level unit.")
USERNAME_TAKEN = _("This username is already taken.")


class ScopedChoicesMixin:
    """Limits the form's choices to the user's scope as soon as the fields exist.

    It sits between BootstrapFormMixin and the Django form class, so the choices are set
    before anything validates the bound data.
    """

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_choices(user)

    def limit_choices(self, user):
        """Each form narrows its unit fields here; their querysets start empty, so a form
        that forgets offers no choice rather than another unit's."""


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth, so the choices read as the tree."""

    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}"


class UnitForm(BootstrapFormMixin, ScopedChoicesMixin, forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("parent unit"))

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "sort_order", "is_active"]

    def limit_choices(self, user):
        if not self.instance.pk:
            del self.fields["is_active"]
        choices = unit_choices(user=user)
        instance = self.instance
        if instance.pk:
            # A unit cannot move under itself or below it.
            choices = choices.exclude(path__subtree=instance.path)
            parent = instance.parent
            manage = scope_for(user, unit_admin_action(user, MANAGE))
            if parent is not None and not manage.covers(parent):
                # A liaison may edit their own unit but not move it out of their reach.
                self.fields["parent"].disabled = True
                choices = Unit.objects.filter(pk=parent.pk)
        self.fields["parent"].queryset = choices
        if not self.fields["parent"].disabled:
            use_picker(self.fields["parent"], UnitPicker, action=MANAGE)
        self.fields["sort_order"].help_text = _("Smaller numbers come first.")
        self.fields["sort_order"].required = False

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is None and not scope_for(self.user, unit_admin_action(self.user, MANAGE)).all:
            if not (self.instance.pk and self.instance.parent_id is None):
                raise ValidationError(ROOT_NOT_ALLOWED)
        return parent


class UnitFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("All kinds")), *Unit.Kind.choices]
    )


class PersonForm(BootstrapFormMixin, ScopedChoicesMixin, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("unit"))

    class Meta:
        model = Person
        fields = ["name", "unit", "gender", "birth_date", "position", "phone", "email", "is_active"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def limit_choices(self, user):
        self.fields["unit"].queryset = unit_choices(user=user)
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE)

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "").replace("-", "")


class PersonFilterForm(BootstrapFormMixin, ScopedChoicesMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or position"), "type": "search"}),
    )
    unit = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("unit"),
        empty_label=_("All units"),
    )

    def limit_choices(self, user):
        self.fields["unit"].queryset = Unit.objects.restrict(user).order_by("path")
        use_picker(self.fields["unit"], UnitPicker)


class RosterImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], extensions=["xlsx"])


class AccountSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Username or name"), "type": "search"}),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit.name}）"


class RoleAssignForm(BootstrapFormMixin, ScopedChoicesMixin, forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("unit"))
    title = forms.CharField(
        label=_("post title"),
        required=False,
        max_length=100,
        help_text=_("Optional, e.g. the post that makes them leader."),
    )

    def limit_choices(self, user):
        self.fields["unit"].queryset = unit_choices(user=user)
        use_picker(self.fields["unit"], UnitPicker, action=MANAGE)


class AccountCreateForm(RoleAssignForm):
    person = PersonChoiceField(queryset=Person.objects.none(), label=_("cadre"))
    username = forms.RegexField(
        label=_("username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @/./+/-/_ only."),
        error_messages={"invalid": _("Use only letters, digits and @/./+/-/_.")},
    )
    field_order = ["person", "username", "role", "unit", "title"]

    def limit_choices(self, user):
        super().limit_choices(user)
        self.fields["person"].queryset = people_without_login(user=user)
        use_picker(self.fields["person"], PersonPicker, without_login=True)
        self.fields["role"].choices = [("", _("No role yet")), *Role.choices]
        self.fields["role"].required = False
        self.fields["unit"].required = False
        self.fields["role"].help_text = _("More roles can be added afterwards.")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(USERNAME_TAKEN)
        return username

    def clean(self):
        data = super().clean()
        if data.get("role") and not data.get("unit"):
            self.add_error("unit", _("Choose the unit where the role is held."))
        return data
