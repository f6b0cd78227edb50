import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from biaoshuai.core.permissions import user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from .. import exports, selectors, services
from ..forms import PairingForm, VisitForm, add_service_error
from ..models import Pairing, Visit, VisitAttachment
from ..permissions import can_edit_record, can_record_own, can_view_practice
from .common import filtered, list_context, render_list, require_edit
from .exemplars import exemplar_context

KINDS = Pairing.PairedKind.choices


@user_passes(can_view_practice)
@require_GET
def pairing_list(request):
    form, filters, records = filtered(request, selectors.pairings_visible_to, kinds=KINDS)
    context = list_context(request, form, filters, records)
    context["can_create"] = can_record_own(request.user)
    return render_list(request, "practice/pairing_list.html", context)


@user_passes(can_view_practice)
@require_GET
def pairing_export(request):
    _form, _filters, records = filtered(request, selectors.pairings_visible_to, kinds=KINDS)
    return exports.pairings_xlsx(pairings=records)


@user_passes(can_view_practice)
@require_GET
def pairing_detail(request, pk):
    pairing = get_scoped_or_404(
        Pairing.objects.select_related("unit", "cadre"), request.user, VIEW, pk=pk
    )
    return render(
        request,
        "practice/pairing_detail.html",
        {
            "record": pairing,
            "visits": selectors.pairing_visits(pairing=pairing),
            "can_edit": can_edit_record(request.user, pairing),
            **exemplar_context(request, pairing, "pairing"),
        },
    )


@user_passes(can_record_own)
@require_http_methods(["GET", "POST"])
def pairing_create(request):
    choose, person = _cadre_mode(request.user)
    form = PairingForm(
        request.POST or None,
        user=request.user,
        choose_cadre=choose,
        initial={"cadre": person} if person else None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cadre = data.pop("cadre", person)
        try:
            pairing = services.pairing_create(by=request.user, cadre=cadre, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The pairing has been recorded."))
            return redirect("practice:pairing_detail", pk=pairing.pk)
    return render(request, "practice/pairing_form.html", {"form": form, "record": None})


@user_passes(can_record_own)
@require_http_methods(["GET", "POST"])
def pairing_edit(request, pk):
    pairing = get_scoped_or_404(
        Pairing.objects.select_related("unit", "cadre"), request.user, VIEW, pk=pk
    )
    require_edit(request.user, pairing)
    choose = scope_for(request.user, MANAGE).covers(pairing.unit)
    form = PairingForm(
        request.POST or None, instance=copy.copy(pairing), user=request.user, choose_cadre=choose
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.pairing_update(pairing=pairing, by=request.user, **fields)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The pairing has been saved."))
            return redirect("practice:pairing_detail", pk=pairing.pk)
    return render(request, "practice/pairing_form.html", {"form": form, "record": pairing})


# Assistance visits


@user_passes(can_view_practice)
@require_GET
def visit_list(request):
    form, filters, records = filtered(
        request, selectors.visits_visible_to, kinds=KINDS, exemplar=False
    )
    return render_list(
        request, "practice/visit_list.html", list_context(request, form, filters, records)
    )


@user_passes(can_view_practice)
@require_GET
def visit_export(request):
    _form, _filters, records = filtered(
        request, selectors.visits_visible_to, kinds=KINDS, exemplar=False
    )
    return exports.visits_xlsx(visits=records)


@user_passes(can_record_own)
@require_http_methods(["GET", "POST"])
def visit_create(request, pairing_pk):
    pairing = get_scoped_or_404(
        Pairing.objects.select_related("unit", "cadre"), request.user, VIEW, pk=pairing_pk
    )
    require_edit(request.user, pairing)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files", [])
        try:
            services.visit_create(by=request.user, pairing=pairing, files=files, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("practice:pairing_detail", pk=pairing.pk)
    return render(
        request, "practice/visit_form.html", {"form": form, "pairing": pairing, "record": None}
    )


@user_passes(can_record_own)
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    visit = get_scoped_or_404(
        Visit.objects.select_related("pairing", "pairing__unit", "pairing__cadre"),
        request.user,
        VIEW,
        pk=pk,
    )
    require_edit(request.user, visit.pairing)
    form = VisitForm(request.POST or None, request.FILES or None, instance=copy.copy(visit))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files, remove = data.pop("files", []), data.pop("remove", [])
        fields = {name: data[name] for name in data if name in form.changed_data}
        try:
            services.visit_update(
                visit=visit, by=request.user, files=files, remove=list(remove), **fields
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The visit has been saved."))
            return redirect("practice:pairing_detail", pk=visit.pairing_id)
    return render(
        request,
        "practice/visit_form.html",
        {"form": form, "pairing": visit.pairing, "record": visit},
    )


@user_passes(can_view_practice)
@require_GET
def attachment_download(request, pk):
    attachment = get_scoped_or_404(VisitAttachment.objects.all(), request.user, VIEW, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, filename=attachment.name, as_attachment=not attachment.is_image)


def _cadre_mode(user):
    """(whether the user chooses the cadre, the user's own cadre record)."""
    person = selectors.own_person(user=user)
    choose = not scope_for(user, MANAGE).empty
    if not choose and person is None:
        raise PermissionDenied
    return choose, person
