from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current_required
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_cadre, is_campaign_user, user_passes
from biaoshuai.core.scope import MANAGE, get_scoped_or_404, scope_for
from biaoshuai.org.models import Unit
from biaoshuai.org.selectors import unit_choices

from . import selectors, services
from .forms import AppraisalForm, GradesForm, SelfAssessmentForm, SelfCheckForm, initial_for
from .models import Appraisal, Participant, SelfCheck, SelfRating, self_rating_choices

UNITS_PER_PAGE = 50


def _campaign():
    return campaign_current_required()


def _person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return person


# Self-check: the cadre


@user_passes(is_cadre)
@require_http_methods(["GET", "POST"])
def self_check_mine(request):
    person, campaign = _person(request), _campaign()
    check = selectors.self_check_for(person=person, campaign=campaign)
    items = selectors.self_check_form_items(campaign=campaign)
    dimensions = selectors.problem_dimensions(campaign=campaign)
    if check is not None and check.state == SelfCheck.State.SUBMITTED:
        return render(
            request,
            "appraisal/self_check_detail.html",
            _detail_context(check, items, dimensions, can_return=False),
        )
    form = SelfCheckForm(
        request.POST or None,
        items=items,
        dimensions=dimensions,
        ratings=self_rating_choices(campaign),
        initial=initial_for(check, dimensions),
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.self_check_save(
                person=person,
                campaign=campaign,
                by=request.user,
                answers=form.answers(),
                findings=form.findings(),
                submit=submit,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Self-check submitted.") if submit else _("Draft saved."))
            return redirect("appraisal:self_check_mine")
    return render(request, "appraisal/self_check_form.html", {"form": form, "check": check})


# Self-check: those who oversee


@user_passes(selectors.can_oversee)
@require_GET
def self_check_overview(request):
    campaign = _campaign()
    page = paginate(
        request,
        selectors.self_check_unit_rates(user=request.user, campaign=campaign),
        per_page=UNITS_PER_PAGE,
    )
    context = {"page": page, "campaign": campaign}
    if request.htmx and not request.htmx.boosted:
        return render(request, "appraisal/self_check_overview.html#table", context)
    return render(request, "appraisal/self_check_overview.html", context)


@user_passes(selectors.can_oversee)
@require_GET
def self_check_unit(request, pk):
    campaign = _campaign()
    unit = get_scoped_or_404(
        Unit.objects.all(), request.user, selectors.oversight_action(request.user), pk=pk
    )
    people = selectors.self_check_roster(user=request.user, campaign=campaign, unit=unit)
    page = paginate(request, people)
    context = {"page": page, "unit": unit, "campaign": campaign}
    if request.htmx and not request.htmx.boosted:
        return render(request, "appraisal/self_check_unit.html#table", context)
    return render(request, "appraisal/self_check_unit.html", context)


@user_passes(is_campaign_user)
@require_GET
def self_check_detail(request, pk):
    try:
        check = selectors.self_check_visible(user=request.user, pk=pk)
    except SelfCheck.DoesNotExist as exc:
        raise Http404 from exc
    items = selectors.self_check_form_items(campaign=check.campaign)
    dimensions = selectors.problem_dimensions(campaign=check.campaign)
    can_return = check.state == SelfCheck.State.SUBMITTED and scope_for(
        request.user, MANAGE
    ).covers(check.unit)
    return render(
        request,
        "appraisal/self_check_detail.html",
        _detail_context(check, items, dimensions, can_return=can_return),
    )


@user_passes(selectors.can_oversee)
@require_POST
def self_check_return(request, pk):
    check = get_scoped_or_404(
        SelfCheck.objects.select_related("person"), request.user, MANAGE, pk=pk
    )
    try:
        services.self_check_return(
            self_check=check, by=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The self-check was sent back to be completed."))
    return redirect("appraisal:self_check_detail", pk=check.pk)


def _detail_context(check, items, dimensions, *, can_return):
    labels = {**dict(SelfRating.choices), **dict(self_rating_choices(check.campaign))}
    rated = [
        (
            item,
            list(
                zip(
                    item["entries"],
                    [
                        labels.get(r, "—")
                        for r in check.ratings.get(item["key"], [""] * len(item["entries"]))
                    ],
                    strict=False,
                )
            ),
        )
        for item in items
    ]
    findings = [
        (name, [f.text for f in check.findings.all() if f.dimension == key])
        for key, name in dimensions
    ]
    return {"check": check, "rated": rated, "findings": findings, "can_return": can_return}


# Democratic appraisal: the unit


@user_passes(selectors.can_oversee)
@require_http_methods(["GET", "POST"])
def appraisal_list(request):
    campaign = _campaign()
    can_create = not scope_for(request.user, MANAGE).empty
    form = (
        AppraisalForm(request.POST or None, units=unit_choices(user=request.user))
        if can_create
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                appraisal = services.appraisal_create(
                    campaign=campaign, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Democratic appraisal opened."))
                return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    page = paginate(request, selectors.appraisal_list(user=request.user, campaign=campaign))
    context = {"page": page, "form": form}
    if request.htmx and not request.htmx.boosted:
        return render(request, "appraisal/appraisal_list.html#table", context)
    return render(request, "appraisal/appraisal_list.html", context)


@user_passes(selectors.can_oversee)
@require_http_methods(["GET", "POST"])
def appraisal_detail(request, pk):
    try:
        appraisal = selectors.appraisal_detail(user=request.user, pk=pk)
    except Appraisal.DoesNotExist as exc:
        raise Http404 from exc
    can_manage = scope_for(request.user, MANAGE).covers(appraisal.unit)
    participants = list(selectors.appraisal_participants(appraisal=appraisal))
    grades = selectors.grade_choices(campaign=appraisal.campaign)
    form = GradesForm(request.POST or None, participants=participants, grades=grades)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.appraisal_grades_set(
                    appraisal=appraisal, by=request.user, grades=form.grades()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Grades saved."))
                return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    for participant in participants:
        participant.peer_counts = [getattr(participant, f"peer_{key}") for key, _name in grades]
    limits = selectors.grade_limits(campaign=appraisal.campaign)
    voters = selectors.appraisal_voters_count(appraisal=appraisal)
    return render(
        request,
        "appraisal/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "participants": participants,
            "grades": grades,
            "form": form,
            "can_manage": can_manage,
            "voters": voters,
            "progress": selectors.appraisal_progress(
                appraisal=appraisal, participants=participants, voters=voters
            )
            if can_manage and appraisal.state == Appraisal.State.OPEN
            else None,
            "limits": [
                (dict(grades).get(k, k), services.share_label(v)) for k, v in limits.items()
            ],
        },
    )


@user_passes(selectors.can_oversee)
@require_POST
def appraisal_transition(request, pk, action):
    appraisal = get_scoped_or_404(
        Appraisal.objects.select_related("campaign", "unit"), request.user, MANAGE, pk=pk
    )
    service = {
        "close": services.appraisal_close_assessment,
        "publish": services.appraisal_publish,
    }.get(action)
    if service is None:
        raise Http404
    options = (
        {"confirm_incomplete": request.POST.get("confirm") == "1"} if action == "close" else {}
    )
    try:
        service(appraisal=appraisal, by=request.user, **options)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("Assessment closed.") if action == "close" else _("Results published.")
        )
    return redirect("appraisal:appraisal_detail", pk=appraisal.pk)


# Democratic appraisal: the cadre


@user_passes(is_cadre)
@require_GET
def my_appraisals(request):
    person = _person(request)
    return render(
        request,
        "appraisal/my_appraisals.html",
        {"appraisals": selectors.my_appraisals(person=person)},
    )


@user_passes(is_cadre)
@require_http_methods(["GET", "POST"])
def my_appraisal(request, pk):
    person = _person(request)
    try:
        me = selectors.my_participation(person=person, appraisal_pk=pk)
    except Participant.DoesNotExist as exc:
        raise Http404 from exc
    appraisal = me.appraisal
    grades = selectors.grade_choices(campaign=appraisal.campaign)
    voted = selectors.has_voted(appraisal=appraisal, person=person)
    is_open = appraisal.state == Appraisal.State.OPEN
    self_form = SelfAssessmentForm(
        request.POST if "self" in request.POST else None,
        grades=grades,
        initial={"text": me.self_assessment, "grade": me.self_grade},
    )
    targets = list(selectors.peer_ballot_targets(participant=me)) if is_open and not voted else []
    ballot = GradesForm(
        request.POST if "ballot" in request.POST else None,
        participants=targets,
        grades=grades,
        prefix_name="p",
        required=True,
    )
    if request.method == "POST":
        try:
            if "self" in request.POST and self_form.is_valid():
                services.appraisal_self_assess(
                    participant=me,
                    by=request.user,
                    text=self_form.cleaned_data["text"],
                    grade=self_form.cleaned_data["grade"],
                )
                messages.success(request, _("Self-assessment saved."))
                return redirect("appraisal:my_appraisal", pk=appraisal.pk)
            if "ballot" in request.POST and ballot.is_valid():
                services.peer_ballot_submit(
                    appraisal=appraisal, assessor=person, grades=ballot.grades(), by=request.user
                )
                messages.success(request, _("Peer assessment handed in. Thank you."))
                return redirect("appraisal:my_appraisal", pk=appraisal.pk)
        except ValidationError as exc:
            (self_form if "self" in request.POST else ballot).add_error(None, exc)
    published = appraisal.state == Appraisal.State.PUBLISHED
    summary, peer_total = selectors.peer_summary(participant=me) if published else ([], 0)
    return render(
        request,
        "appraisal/my_appraisal.html",
        {
            "appraisal": appraisal,
            "me": me,
            "self_form": self_form,
            "ballot": ballot,
            "voted": voted,
            "is_open": is_open,
            "published": published,
            "summary": summary,
            "peer_total": peer_total,
            "grade_name": dict(grades).get(me.grade, ""),
        },
    )
