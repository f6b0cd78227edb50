from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import user_passes

from .. import selectors, services
from ..forms import FindingForm, FindingItemForm, FindingProblemForm, InspectionForm
from .common import (
    can_issue,
    can_view_supervision,
    current_campaign,
    error_text,
    query_string,
    render_list,
)


@user_passes(can_view_supervision)
@require_GET
def inspection_list(request):
    q = (request.GET.get("q") or "").strip()
    inspections = selectors.inspections_visible_to(user=request.user, q=q)
    context = {
        "page": paginate(request, inspections),
        "query": query_string(request),
        "q": q,
        "can_issue": can_issue(request.user),
    }
    return render_list(request, "supervision/inspection_list.html", context)


@user_passes(can_issue)
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    campaign = current_campaign()
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                by=request.user,
                campaign=campaign,
                unit=data["unit"],
                visited_on=data["visited_on"],
                inspectors_text=data["inspectors_text"],
                inspectors=list(data["inspectors"]),
                summary=data["summary"],
                findings=data["findings"].splitlines(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return render(request, "supervision/inspection_form.html", {"form": form})


@user_passes(can_view_supervision)
@require_GET
def inspection_detail(request, pk):
    inspection = selectors.inspection_detail(user=request.user, pk=pk)
    return render(request, "supervision/inspection_detail.html", _context(request, inspection))


@user_passes(can_issue)
@require_POST
def finding_add(request, pk):
    inspection = selectors.inspection_detail(user=request.user, pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_add(
                by=request.user, inspection=inspection, description=form.cleaned_data["description"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Finding added."))
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    context = _context(request, inspection, finding_form=form)
    return render(request, "supervision/inspection_detail.html", context, status=400)


@user_passes(can_issue)
@require_POST
def finding_to_problem(request, pk):
    finding = selectors.finding_for(user=request.user, pk=pk, action="view")
    form = FindingProblemForm(request.POST, campaign=finding.inspection.campaign)
    if not form.is_valid():
        messages.error(request, _("Choose the problem's dimension."))
    else:
        try:
            services.finding_to_problem(
                by=request.user, finding=finding, dimension=form.cleaned_data["dimension"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The finding is now on the unit's problem list."))
    return redirect("supervision:inspection_detail", pk=finding.inspection_id)


@user_passes(can_issue)
@require_http_methods(["GET", "POST"])
def finding_to_item(request, pk):
    finding = selectors.finding_for(user=request.user, pk=pk, action="view")
    initial = {"subject": finding.description[:200], "requirement": finding.description}
    form = FindingItemForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.finding_to_item(
                by=request.user,
                finding=finding,
                subject=data["subject"],
                requirement=data["requirement"],
                deadline=data["deadline"],
                issuer=data["issuer"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Supervision item issued from the finding."))
            return redirect("supervision:item_detail", pk=item.pk)
    return render(request, "supervision/finding_item_form.html", {"form": form, "finding": finding})


def _context(request, inspection, *, finding_form=None):
    findings = list(inspection.findings.all())
    for finding in findings:
        finding.problem_url = _problem_url(finding.problem_id)
    return {
        "inspection": inspection,
        "findings": findings,
        "can_issue": can_issue(request.user),
        "finding_form": finding_form or FindingForm(),
        "problem_form": FindingProblemForm(campaign=inspection.campaign),
    }


def _problem_url(problem_id):
    """The problem's page in rectification, when that module offers one."""
    if not problem_id:
        return ""
    try:
        return reverse("rectification:problem_detail", args=[problem_id])
    except NoReverseMatch:
        return ""
