from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_office, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from .. import selectors, services
from ..forms import ProblemFilterForm, ProblemForm
from ..models import Problem
from .common import add_errors, can_manage, can_view, cleaned, current_campaign_or_404, query_string


@user_passes(can_view)
@require_GET
def problem_list(request):
    campaign = campaign_current()
    form = ProblemFilterForm(request.GET or None, user=request.user, campaign=campaign)
    filters = cleaned(form)
    problems = (
        selectors.problems_visible_to(
            user=request.user,
            campaign=campaign,
            unit=filters.get("unit"),
            dimension=filters.get("dimension") or "",
            q=filters.get("q") or "",
        )
        if campaign
        else Problem.objects.none()
    )
    context = {
        "form": form,
        "page": paginate(request, problems),
        "query": query_string(request),
        "dimensions": dict(campaign.choices("problem_dimensions")) if campaign else {},
        "can_manage": campaign is not None and can_manage(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "rectification/problem_list.html#table", context)
    return render(request, "rectification/problem_list.html", context)


@user_passes(can_manage)
@require_http_methods(["GET", "POST"])
def problem_create(request):
    campaign = current_campaign_or_404()
    form = ProblemForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sources = [(data["source_kind"], "", data["source_label"])] if data["source_kind"] else ()
        try:
            problem = services.problem_create(
                by=request.user,
                unit=data["unit"],
                campaign=campaign,
                dimension=data["dimension"],
                area=data["area"],
                description=data["description"],
                severity=data["severity"],
                disclosure=data["disclosure"],
                sources=sources,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Problem added to the list."))
            _proposal_message(request, problem)
            return redirect("rectification:problem_detail", pk=problem.pk)
    return render(request, "rectification/problem_form.html", {"form": form, "problem": None})


@user_passes(can_view)
@require_GET
def problem_detail(request, pk):
    problem = get_scoped_or_404(
        selectors.problem_with_sources(Problem.objects), request.user, VIEW, pk=pk
    )
    campaign = problem.campaign
    return render(
        request,
        "rectification/problem_detail.html",
        {
            "problem": problem,
            "items": selectors.problem_items(problem=problem, user=request.user),
            "dimensions": dict(campaign.choices("problem_dimensions")),
            "areas": dict(campaign.choices("problem_areas")),
            "kinds": dict(campaign.choices("rectification_kinds")),
            "can_manage": scope_for(request.user, MANAGE).covers(problem.unit),
        },
    )


@user_passes(can_manage)
@require_http_methods(["GET", "POST"])
def problem_edit(request, pk):
    problem = get_scoped_or_404(
        Problem.objects.select_related("campaign", "unit"), request.user, MANAGE, pk=pk
    )
    initial = {
        f: getattr(problem, f)
        for f in ["unit", "dimension", "area", "description", "severity", "disclosure"]
    }
    if problem.disclosure_proposed and not is_office(request.user):
        initial["disclosure"] = problem.disclosure_proposed  # the unit's pending proposal
    form = ProblemForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        campaign=problem.campaign,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in initial}
        try:
            services.problem_update(problem=problem, by=request.user, **fields)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Problem saved."))
            _proposal_message(request, problem)
            return redirect("rectification:problem_detail", pk=problem.pk)
    return render(request, "rectification/problem_form.html", {"form": form, "problem": problem})


def _proposal_message(request, problem):
    if problem.disclosure_proposed:
        messages.info(
            request,
            _(
                "The disclosure level you chose is a proposal: the campaign office decides it, "
                "and until then the problem stays as it was."
            ),
        )
