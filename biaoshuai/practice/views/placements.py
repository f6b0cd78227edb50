import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from biaoshuai.core.permissions import user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from .. import exports, selectors, services
from ..forms import PlacementForm, add_service_error
from ..models import Placement
from ..permissions import can_edit_record, can_record_own, can_view_practice
from .common import filtered, list_context, render_list, require_edit
from .exemplars import exemplar_context
from .pairings import _cadre_mode


@user_passes(can_view_practice)
@require_GET
def placement_list(request):
    kinds = selectors.current_choices("placement_kinds")
    form, filters, records = filtered(request, selectors.placements_visible_to, kinds=kinds)
    context = list_context(request, form, filters, records)
    _label_kinds(context["page"])
    context["can_create"] = can_record_own(request.user)
    return render_list(request, "practice/placement_list.html", context)


@user_passes(can_view_practice)
@require_GET
def placement_export(request):
    kinds = selectors.current_choices("placement_kinds")
    _form, _filters, records = filtered(request, selectors.placements_visible_to, kinds=kinds)
    return exports.placements_xlsx(placements=records)


@user_passes(can_view_practice)
@require_GET
def placement_detail(request, pk):
    placement = get_scoped_or_404(
        Placement.objects.select_related("unit", "cadre", "campaign"), request.user, VIEW, pk=pk
    )
    return render(
        request,
        "practice/placement_detail.html",
        {
            "record": placement,
            "kind_label": dict(placement.campaign.choices("placement_kinds")).get(
                placement.kind, placement.kind
            ),
            "can_edit": can_edit_record(request.user, placement),
            **exemplar_context(request, placement, "placement"),
        },
    )


@user_passes(can_record_own)
@require_http_methods(["GET", "POST"])
def placement_create(request):
    choose, person = _cadre_mode(request.user)
    form = PlacementForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        choose_cadre=choose,
        kinds=selectors.current_choices("placement_kinds"),
        initial={"cadre": person} if person else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.record_fields()
        cadre = data.pop("cadre", person)
        try:
            placement = services.placement_create(
                by=request.user, cadre=cadre, report=form.cleaned_data.get("report"), **data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The placement has been recorded."))
            return redirect("practice:placement_detail", pk=placement.pk)
    return render(request, "practice/placement_form.html", {"form": form, "record": None})


@user_passes(can_record_own)
@require_http_methods(["GET", "POST"])
def placement_edit(request, pk):
    placement = get_scoped_or_404(
        Placement.objects.select_related("unit", "cadre", "campaign"), request.user, VIEW, pk=pk
    )
    require_edit(request.user, placement)
    form = PlacementForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(placement),
        user=request.user,
        choose_cadre=scope_for(request.user, MANAGE).covers(placement.unit),
        kinds=placement.campaign.choices("placement_kinds"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.record_fields()
        fields = {name: data[name] for name in data if name in form.changed_data}
        try:
            services.placement_update(
                placement=placement,
                by=request.user,
                report=form.cleaned_data.get("report"),
                **fields,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The placement has been saved."))
            return redirect("practice:placement_detail", pk=placement.pk)
    return render(request, "practice/placement_form.html", {"form": form, "record": placement})


@user_passes(can_view_practice)
@require_GET
def placement_report(request, pk):
    placement = get_scoped_or_404(Placement.objects.all(), request.user, VIEW, pk=pk)
    if not placement.report:
        raise Http404
    try:
        handle = placement.report.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, filename=placement.report_name, as_attachment=True)


def _label_kinds(page):
    """Each placement on the page gets `kind_label`, its kind's name in its campaign."""
    labels = selectors.campaign_labels(
        campaign_ids={p.campaign_id for p in page}, list_key="placement_kinds"
    )
    for placement in page:
        placement.kind_label = labels.get(placement.campaign_id, {}).get(
            placement.kind, placement.kind
        )
