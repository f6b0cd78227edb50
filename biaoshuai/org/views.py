import copy
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.exports import export_or_task
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import (
    can_manage_org,
    can_manage_units,
    can_view_accounts,
    can_view_org,
    can_view_units,
    is_sysadmin,
    user_passes,
)
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for, unit_admin_action

from . import selectors, services
from .forms import (
    AccountCreateForm,
    AccountSearchForm,
    PersonFilterForm,
    PersonForm,
    RoleAssignForm,
    RosterImportForm,
    UnitFilterForm,
    UnitForm,
)
from .imports import roster_template as build_roster_template
from .models import Person, RoleAssignment, Unit

UNIT_TREE_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Units


@user_passes(can_view_units)
@require_GET
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    filters = _cleaned(form)
    units = selectors.units_visible_to(
        user=request.user, kind=filters.get("kind") or "", q=filters.get("q") or "", counts=False
    )
    page = paginate(request, units, per_page=UNIT_TREE_PER_PAGE)
    page.object_list = selectors.units_count_cadres(page.object_list)  # one GROUP BY
    return render(
        request,
        "org/unit_list.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "filtered": bool(filters.get("kind") or filters.get("q")),
            "base_depth": _scope_depth(request.user),
            "can_manage": can_manage_units(request.user),
        },
    )


@user_passes(can_view_units)
@require_GET
def unit_detail(request, pk):
    view, manage = unit_admin_action(request.user, VIEW), unit_admin_action(request.user, MANAGE)
    unit = get_scoped_or_404(Unit.objects.select_related("parent"), request.user, view, pk=pk)
    people = selectors.people_visible_to(user=request.user, unit=unit, include_subunits=False)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": selectors.unit_children(unit=unit),
            "page": paginate(request, people),
            "role_holders": selectors.unit_role_holders(unit=unit),
            "can_manage": scope_for(request.user, manage).covers(unit),
            "parent_visible": unit.parent is not None
            and scope_for(request.user, view).covers(unit.parent),
        },
    )


@user_passes(can_manage_units)
@require_http_methods(["GET", "POST"])
def unit_create(request):
    initial = {}
    if request.GET.get("parent"):
        manage = unit_admin_action(request.user, MANAGE)
        parent = Unit.objects.restrict(request.user, manage).filter(pk=_int(request.GET["parent"]))
        initial["parent"] = parent.first()
    form = UnitForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                by=request.user,
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                sort_order=data["sort_order"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Unit “%(name)s” added.") % {"name": unit.name})
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@user_passes(can_manage_units)
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    manage = unit_admin_action(request.user, MANAGE)
    unit = get_scoped_or_404(Unit.objects.select_related("parent"), request.user, manage, pk=pk)
    form = UnitForm(request.POST or None, instance=copy.copy(unit), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.unit_update(unit=unit, by=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Unit “%(name)s” saved.") % {"name": unit.name})
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


# Cadres


@user_passes(can_view_org)
@require_GET
def person_list(request):
    form, people = _filtered_people(request)
    context = {
        "form": form,
        "page": paginate(request, people),
        "query": _query(request),
        "can_manage": can_manage_org(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "org/person_list.html#table", context)
    return render(request, "org/person_list.html", context)


@user_passes(can_view_org)
@require_GET
def person_export(request):
    """The file itself for a few thousand cadres; a background task beyond (with progress)."""
    return export_or_task(request, "org.cadres")


@user_passes(can_view_org)
@require_GET
def person_detail(request, pk):
    person = get_scoped_or_404(
        Person.objects.select_related("unit", "user"), request.user, VIEW, pk=pk
    )
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "roles": selectors.person_roles(person=person),
            "can_manage": scope_for(request.user, MANAGE).covers(person.unit),
        },
    )


@user_passes(can_manage_org)
@require_http_methods(["GET", "POST"])
def person_create(request):
    initial = {}
    if request.GET.get("unit"):
        unit = Unit.objects.restrict(request.user, MANAGE).filter(pk=_int(request.GET["unit"]))
        initial["unit"] = unit.first()
    form = PersonForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.person_create(
                by=request.user, unit=data.pop("unit"), name=data.pop("name"), **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cadre “%(name)s” added.") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": None})


@user_passes(can_manage_org)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_scoped_or_404(
        Person.objects.select_related("unit", "user"), request.user, MANAGE, pk=pk
    )
    form = PersonForm(request.POST or None, instance=copy.copy(person), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.person_update(person=person, by=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cadre “%(name)s” saved.") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


# Roster import


@user_passes(can_manage_org)
@require_http_methods(["GET", "POST"])
def roster_import(request):
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.roster_import(file=form.cleaned_data["file"], by=request.user)
        if result.ok:
            messages.success(request, _("The roster has been imported."))
    return render(request, "org/roster_import.html", {"form": form, "result": result})


@user_passes(can_manage_org)
@require_GET
def roster_template(request):
    response = HttpResponse(build_roster_template(), content_type=XLSX)
    filename = _("roster-template") + ".xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# Accounts (system administrator; the office may look)


@user_passes(can_view_accounts)
@require_GET
def user_list(request):
    form = AccountSearchForm(request.GET or None)
    users = selectors.accounts_list(q=_cleaned(form).get("q") or "")
    return render(
        request,
        "org/user_list.html",
        {
            "form": form,
            "page": paginate(request, users),
            "query": _query(request),
            "can_edit": is_sysadmin(request.user),
        },
    )


@user_passes(can_view_accounts)
@require_GET
def user_detail(request, pk):
    account = _account_or_404(pk)
    return render(
        request,
        "org/user_detail.html",
        {
            "account": account,
            "can_edit": is_sysadmin(request.user),
            "role_form": RoleAssignForm(user=request.user),
        },
    )


@user_passes(is_sysadmin)
@require_http_methods(["GET", "POST"])
def user_create(request):
    initial = {}
    if request.GET.get("person"):
        initial["person"] = _int(request.GET["person"])
    form = AccountCreateForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = services.person_login_create(
                by=request.user,
                person=data["person"],
                username=data["username"],
                role=data["role"],
                unit=data["unit"],
                title=data["title"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _password_once(request, account, password, created=True)
    return render(request, "org/user_create.html", {"form": form})


@user_passes(is_sysadmin)
@require_http_methods(["GET", "POST"])
def role_assign(request, pk):
    account = _account_or_404(pk)
    form = RoleAssignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_assign(
                by=request.user,
                user=account,
                unit=data["unit"],
                role=data["role"],
                title=data["title"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Role assigned."))
            return redirect("org:user_detail", pk=account.pk)
    return render(request, "org/role_assign.html", {"account": account, "form": form})


@user_passes(is_sysadmin)
@require_POST
def role_revoke(request, pk):
    assignment = get_scoped_or_404(
        RoleAssignment.objects.select_related("unit", "user"),
        request.user,
        unit_admin_action(request.user, MANAGE),
        pk=pk,
    )
    services.role_revoke(by=request.user, assignment=assignment)
    messages.success(request, _("Role revoked."))
    return redirect("org:user_detail", pk=assignment.user_id)


@user_passes(is_sysadmin)
@require_POST
def user_password_reset(request, pk):
    account = _account_or_404(pk)
    password = services.account_password_reset(by=request.user, user=account)
    return _password_once(request, account, password, created=False)


# Helpers


def _filtered_people(request):
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = _cleaned(form)
    people = selectors.people_visible_to(
        user=request.user, q=filters.get("q") or "", unit=filters.get("unit")
    )
    return form, people


def _cleaned(form):
    """The fields that are valid: a bad filter value is ignored, the others still apply."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def _query(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _scope_depth(user):
    """The depth of the shallowest unit the user sees, so their tree starts at the margin."""
    scope = scope_for(user, VIEW)
    if scope.all or not scope.paths:
        return 0
    return min(path.count("/") - 1 for path in scope.paths)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _account_or_404(pk):
    try:
        return selectors.account_detail(pk=pk)
    except get_user_model().DoesNotExist as exc:
        raise Http404 from exc


def _password_once(request, account, password, *, created):
    """The generated password, shown on this page only; it is stored nowhere in clear."""
    response = render(
        request,
        "org/password_once.html",
        {"account": account, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response
