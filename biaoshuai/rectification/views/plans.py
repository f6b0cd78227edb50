from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_campaign_user, user_passes
from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.org.models import Unit

from .. import selectors, services
from ..forms import PlanActionForm, PlanFilterForm, PlanMeasureForm, PlanProblemForm, PlanReviewForm
from ..models import PersonalPlan, PlanMeasure, PlanProblem
from .common import add_errors, can_view, cleaned, current_campaign_or_404, query_string


def _signed_in(user):
    return is_campaign_user(user)


def _person(user):
    return getattr(user, "person", None)


def _plan(request, pk):
    """The plan if the user owns it or it is in their scope; 404 otherwise."""
    plan = (
        PersonalPlan.objects.select_related("person", "unit", "campaign", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    if plan.person.user_id == request.user.pk or scope_for(request.user).covers(plan.unit):
        return plan
    raise Http404


def _own_plan(request, pk):
    plan = _plan(request, pk)
    if plan.person.user_id != request.user.pk:
        raise PermissionDenied
    return plan


@user_passes(_signed_in)
@require_GET
def plan_home(request):
    """Reviewers see the plans in their scope; a cadre without a scope goes to their plan."""
    campaign = campaign_current()
    if not can_view(request.user):
        if _person(request.user) is None:
            raise PermissionDenied
        return redirect("rectification:plan_mine")
    form = PlanFilterForm(request.GET or None, user=request.user)
    f = cleaned(form)
    plans = (
        selectors.plans_visible_to(
            user=request.user, campaign=campaign, unit=f.get("unit"), state=f.get("state") or ""
        )
        if campaign
        else PersonalPlan.objects.none()
    )
    own = selectors.plan_for(person=_person(request.user), campaign=campaign)
    context = {
        "form": form,
        "page": paginate(request, plans),
        "query": query_string(request),
        "own_plan": own,
        "has_person": _person(request.user) is not None,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "rectification/plan_list.html#table", context)
    return render(request, "rectification/plan_list.html", context)


@user_passes(can_view)
@require_GET
def plan_completion(request):
    campaign = current_campaign_or_404()
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = Unit.objects.restrict(request.user).filter(pk=request.GET["unit"]).first()
        if unit is None:
            raise Http404
    if unit is not None:
        rows = selectors.plan_completion_by_cadre(user=request.user, campaign=campaign, unit=unit)
    else:
        rows = selectors.plan_completion_by_unit(user=request.user, campaign=campaign)
    return render(
        request,
        "rectification/plan_completion.html",
        {
            "page": paginate(request, rows, per_page=50),
            "unit": unit,
            "query": query_string(request),
        },
    )


@user_passes(_signed_in)
@require_http_methods(["GET", "POST"])
def plan_mine(request):
    person = _person(request.user)
    if person is None:
        raise PermissionDenied
    campaign = current_campaign_or_404()
    plan = selectors.plan_for(person=person, campaign=campaign)
    if plan is not None:
        return redirect("rectification:plan_detail", pk=plan.pk)
    if request.method == "POST":
        plan = services.plan_start(person=person, campaign=campaign, by=request.user)
        return redirect("rectification:plan_detail", pk=plan.pk)
    found = selectors.self_check_problems(person=person, campaign=campaign)
    return render(request, "rectification/plan_start.html", {"found": found, "person": person})


@user_passes(_signed_in)
@require_GET
def plan_detail(request, pk):
    plan = _plan(request, pk)
    return render(request, "rectification/plan_detail.html", _plan_context(request, plan))


def _plan_context(request, plan, **forms):
    problems, measures = selectors.plan_full(plan=plan)
    owner = plan.person.user_id == request.user.pk
    campaign = plan.campaign
    return {
        "plan": plan,
        "problems": problems,
        "measures": measures,
        "owner": owner,
        "dimensions": dict(campaign.choices("problem_dimensions")),
        "aspects": dict(campaign.choices("personal_plan_aspects")),
        "can_edit": owner and plan.editable,
        "can_act": owner
        and plan.state in (PersonalPlan.State.SUBMITTED, PersonalPlan.State.ACCEPTED),
        "can_review": plan.state == PersonalPlan.State.SUBMITTED
        and scope_for(request.user, MANAGE).covers(plan.unit),
        "problem_form": forms.get("problem_form") or PlanProblemForm(campaign=campaign),
        "measure_form": forms.get("measure_form") or PlanMeasureForm(plan=plan, problems=problems),
        "action_form": PlanActionForm(),
        "review_form": forms.get("review_form") or PlanReviewForm(),
    }


def _rerender(request, plan, **forms):
    return render(
        request, "rectification/plan_detail.html", _plan_context(request, plan, **forms), status=400
    )


@user_passes(_signed_in)
@require_POST
def plan_problem_add(request, pk):
    plan = _own_plan(request, pk)
    form = PlanProblemForm(request.POST, campaign=plan.campaign)
    if form.is_valid():
        try:
            services.plan_problem_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("rectification:plan_detail", pk=plan.pk)
    return _rerender(request, plan, problem_form=form)


@user_passes(_signed_in)
@require_POST
def plan_problem_remove(request, pk):
    problem = get_object_or_404(PlanProblem.objects.select_related("plan"), pk=pk)
    plan = _own_plan(request, problem.plan_id)
    return _simple(
        request, plan, lambda: services.plan_problem_remove(problem=problem, by=request.user)
    )


@user_passes(_signed_in)
@require_POST
def plan_measure_add(request, pk):
    plan = _own_plan(request, pk)
    problems, _m = selectors.plan_full(plan=plan)
    form = PlanMeasureForm(request.POST, plan=plan, problems=problems)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["problem"] = next((p for p in problems if str(p.pk) == data["problem"]), None)
        try:
            services.plan_measure_add(plan=plan, by=request.user, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Measure added."))
            return redirect("rectification:plan_detail", pk=plan.pk)
    return _rerender(request, plan, measure_form=form)


@user_passes(_signed_in)
@require_POST
def plan_measure_remove(request, pk):
    measure = get_object_or_404(PlanMeasure.objects.select_related("plan"), pk=pk)
    plan = _own_plan(request, measure.plan_id)
    return _simple(
        request, plan, lambda: services.plan_measure_remove(measure=measure, by=request.user)
    )


@user_passes(_signed_in)
@require_POST
def plan_submit(request, pk):
    plan = _own_plan(request, pk)
    return _simple(
        request,
        plan,
        lambda: services.plan_submit(plan=plan, by=request.user),
        _("Plan submitted for review."),
    )


@user_passes(_signed_in)
@require_POST
def plan_action(request, pk):
    measure = get_object_or_404(PlanMeasure.objects.select_related("plan"), pk=pk)
    plan = _own_plan(request, measure.plan_id)
    form = PlanActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect("rectification:plan_detail", pk=plan.pk)
    return _simple(
        request,
        plan,
        lambda: services.plan_action_record(
            measure=measure,
            by=request.user,
            text=form.cleaned_data["text"],
            on=form.cleaned_data["on"],
            done=form.cleaned_data["done"],
        ),
        _("Action recorded."),
    )


@user_passes(can_view)
@require_POST
def plan_review(request, pk):
    plan = _plan(request, pk)
    if not scope_for(request.user, MANAGE).covers(plan.unit):
        raise PermissionDenied
    form = PlanReviewForm(request.POST)
    if form.is_valid():
        try:
            services.plan_review(
                plan=plan,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("rectification:plan_detail", pk=plan.pk)
    return _rerender(request, plan, review_form=form)


def _simple(request, plan, action, success=None):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if success:
            messages.success(request, success)
    return redirect("rectification:plan_detail", pk=plan.pk)
