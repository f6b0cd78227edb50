from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current_required
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_office, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from . import grouping_services, selectors, services
from .codes import code_display
from .forms import (
    AssignForm,
    ClassifyForm,
    OpinionFilterForm,
    OpinionRecordForm,
    ProblemFromGroupForm,
    ReplyForm,
    ReturnForm,
)
from .metrics import can_handle_opinions, can_manage_opinions, can_view_opinions
from .models import GroupMember, Opinion, OpinionAttachment

NO_CAMPAIGN = "There is no current campaign."
NEW_CODE_KEY = "opinions_new_code"
GROUP_MEMBERS_PER_PAGE = 50


def _campaign_or_404():
    return campaign_current_required()


@user_passes(can_view_opinions)
@require_GET
def opinion_list(request):
    form = OpinionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    box = request.GET.get("box", "")
    opinions = selectors.opinion_list(
        user=request.user,
        box=box if box in selectors.BOXES else "",
        state=filters.get("state") or "",
        unit=filters.get("unit"),
        overdue=bool(filters.get("overdue")),
        q=filters.get("q") or "",
    )
    params = request.GET.copy()
    params.pop("page", None)
    counts = selectors.opinion_counts(user=request.user)
    # A box alone (or nothing) is counted already: no second COUNT(*) for the pages.
    known = None if any(filters.values()) else counts.get(box if box in selectors.BOXES else "all")
    context = {
        "form": form,
        "box": box,
        "page": paginate(request, opinions, count=known),
        "query": params.urlencode(),
        "counts": counts,
        "is_office": is_office(request.user),
        "boxes": _boxes(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "opinions/opinion_list.html#table", context)
    return render(request, "opinions/opinion_list.html", context)


@user_passes(can_manage_opinions)
@require_http_methods(["GET", "POST"])
def opinion_create(request):
    campaign = _campaign_or_404()
    form = OpinionRecordForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion, code = services.opinion_record(
                by=request.user,
                campaign=campaign,
                channel=data["channel"],
                received_on=data["received_on"],
                content=data["content"],
                unit_concerned=data["unit_concerned"],
                is_anonymous=data["is_anonymous"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                files=data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[NEW_CODE_KEY] = {"pk": opinion.pk, "code": code_display(code)}
            messages.success(request, _("The opinion is recorded."))
            return redirect("opinions:detail", pk=opinion.pk)
    return render(request, "opinions/opinion_form.html", {"form": form})


@user_passes(can_view_opinions)
@require_GET
def opinion_detail(request, pk):
    opinion = _opinion(request, pk, VIEW)
    return _detail(request, opinion)


@user_passes(can_manage_opinions)
@require_POST
def opinion_assign(request, pk):
    opinion = _opinion(request, pk, MANAGE)
    form = AssignForm(request.POST, user=request.user)
    return _transition(
        request,
        opinion,
        form,
        "assign_form",
        lambda data: services.opinion_assign(
            opinion=opinion, by=request.user, unit=data["unit"], deadline=data["deadline"]
        ),
        _("The opinion is assigned."),
    )


@user_passes(can_handle_opinions)
@require_POST
def opinion_sign(request, pk):
    opinion = _opinion(request, pk, MANAGE)
    return _transition(
        request,
        opinion,
        None,
        None,
        lambda data: services.opinion_sign(opinion=opinion, by=request.user),
        _("Signed for."),
    )


@user_passes(can_handle_opinions)
@require_POST
def opinion_reply(request, pk):
    opinion = _opinion(request, pk, MANAGE)
    form = ReplyForm(request.POST)
    return _transition(
        request,
        opinion,
        form,
        "reply_form",
        lambda data: services.opinion_reply(opinion=opinion, by=request.user, reply=data["reply"]),
        _("The reply is sent to the office for review."),
    )


@user_passes(can_manage_opinions)
@require_POST
def opinion_return(request, pk):
    opinion = _opinion(request, pk, MANAGE)
    form = ReturnForm(request.POST)
    return _transition(
        request,
        opinion,
        form,
        "return_form",
        lambda data: services.opinion_return(opinion=opinion, by=request.user, note=data["note"]),
        _("The reply is returned to the unit."),
    )


@user_passes(can_manage_opinions)
@require_POST
def opinion_approve(request, pk):
    opinion = _opinion(request, pk, MANAGE)
    return _transition(
        request,
        opinion,
        None,
        None,
        lambda data: services.opinion_approve(opinion=opinion, by=request.user),
        _("The reply is approved and published to the submitter."),
    )


@user_passes(can_manage_opinions)
@require_POST
def opinion_classify(request, pk):
    opinion = _opinion(request, pk, MANAGE)
    form = ClassifyForm(request.POST, campaign=opinion.campaign)
    return _transition(
        request,
        opinion,
        form,
        "classify_form",
        lambda data: services.opinion_classify(opinion=opinion, by=request.user, **data),
        _("Saved."),
    )


@user_passes(can_view_opinions)
@require_GET
def attachment_download(request, pk):
    attachment = get_scoped_or_404(
        OpinionAttachment.objects.select_related("opinion"), request.user, VIEW, pk=pk
    )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# Finding problems


@user_passes(can_view_opinions)
@require_GET
def group_list(request):
    campaign = _campaign_or_404()
    run, pending = selectors.grouping_latest(campaign=campaign)
    dimension = request.GET.get("dimension", "")
    dimensions = dict(campaign.choices("problem_dimensions"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in GroupMember.Kind.values else ""
    groups = (
        selectors.groups_visible_to(
            user=request.user,
            run=run,
            dimension=dimension if dimension in dimensions else "",
            kind=kind,
        )
        if run
        else []
    )
    page = paginate(request, groups, per_page=20)
    page.object_list = selectors.groups_shown(user=request.user, groups=page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "run": run,
        "pending": pending,
        "page": page,
        "query": params.urlencode(),
        "dimension": dimension,
        "dimensions": dimensions,
        "kind": kind,
        "kinds": GroupMember.Kind.choices,
        "can_recompute": can_manage_opinions(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "opinions/group_list.html#table", context)
    return render(request, "opinions/group_list.html", context)


@user_passes(can_manage_opinions)
@require_POST
def group_recompute(request):
    campaign = _campaign_or_404()
    run = grouping_services.grouping_request(campaign=campaign, by=request.user)
    if run.state == run.State.DONE:
        messages.success(request, _("The grouping is up to date."))
    else:
        messages.info(request, _("The grouping is being computed; reload the page in a moment."))
    return redirect("opinions:groups")


@user_passes(can_view_opinions)
@require_http_methods(["GET", "POST"])
def group_detail(request, pk):
    group = selectors.group_visible_or_none(user=request.user, pk=pk)
    if group is None:
        raise Http404
    # Keywords and the pre-filled text come from the members the viewer may see.
    (group,) = selectors.groups_shown(user=request.user, groups=[group])
    members = selectors.group_members(user=request.user, group=group)
    campaign = group.run.campaign
    form = None
    if not scope_for(request.user, MANAGE).empty:
        initial = {"dimension": group.dimension, "description": group.sample}
        form = ProblemFromGroupForm(
            request.POST or None, initial=initial, user=request.user, campaign=campaign
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            if data["whole_group"]:
                chosen = list(members)
            else:
                ids = [int(v) for v in request.POST.getlist("members") if v.isdigit()]
                chosen = list(members.filter(pk__in=ids))
            try:
                grouping_services.problem_from_members(
                    by=request.user,
                    campaign=campaign,
                    unit=data["unit"],
                    dimension=data["dimension"],
                    description=data["description"],
                    members=chosen,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The problem is added to the problem list."))
                return redirect("opinions:group_detail", pk=group.pk)
    page = paginate(request, members, per_page=GROUP_MEMBERS_PER_PAGE)
    problems = grouping_services.member_problems(members=page.object_list)
    ticked = set(request.POST.getlist("members")) if request.method == "POST" else set()
    return render(
        request,
        "opinions/group_detail.html",
        {
            "group": group,
            "page": page,
            "rows": [
                (m, problems.get((m.kind, m.source_id), []), str(m.pk) in ticked)
                for m in page.object_list
            ],
            "form": form,
            "dimensions": dict(campaign.choices("problem_dimensions")),
            "Kind": GroupMember.Kind,
        },
    )


def _opinion(request, pk, action):
    queryset = Opinion.objects.select_related("campaign", "unit", "unit_concerned")
    return get_scoped_or_404(queryset, request.user, action, pk=pk)


def _transition(request, opinion, form, form_name, call, success):
    if form is not None and not form.is_valid():
        return _detail(request, opinion, status=400, **{form_name: form})
    try:
        call(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return redirect("opinions:detail", pk=opinion.pk)
        form.add_error(None, exc)
        return _detail(request, opinion, status=400, errors=exc.messages, **{form_name: form})
    messages.success(request, success)
    return redirect("opinions:detail", pk=opinion.pk)


def _detail(request, opinion, status=200, errors=(), **forms):
    user = request.user
    manage = scope_for(user, MANAGE).covers(opinion.unit) if opinion.unit_id else is_office(user)
    office = is_office(user)
    new_code = request.session.get(NEW_CODE_KEY)
    if new_code and new_code.get("pk") == opinion.pk:
        del request.session[NEW_CODE_KEY]
    else:
        new_code = None
    state = Opinion.State
    context = {
        "opinion": opinion,
        "errors": errors,
        "new_code": new_code and new_code["code"],
        "channels": dict(opinion.campaign.choices("opinion_channels")),
        "dimensions": dict(opinion.campaign.choices("problem_dimensions")),
        "attachments": list(opinion.attachments.all()),
        "problems": selectors.problems_for(kind="opinion", source_ids=[opinion.pk]).get(
            opinion.pk, []
        ),
        "can_assign": office and opinion.state in (state.NEW, state.ASSIGNED),
        "can_sign": manage and opinion.state == state.ASSIGNED,
        "can_reply": manage and opinion.state in (state.SIGNED, state.RETURNED, state.REOPENED),
        "can_review": office and opinion.state == state.REPLIED,
        "can_classify": office,
        "assign_form": forms.get("assign_form")
        or AssignForm(
            initial={"unit": opinion.unit or opinion.unit_concerned, "deadline": opinion.deadline},
            user=user,
        ),
        "reply_form": forms.get("reply_form") or ReplyForm(initial={"reply": opinion.reply}),
        "return_form": forms.get("return_form") or ReturnForm(),
        "classify_form": forms.get("classify_form")
        or ClassifyForm(
            initial={
                "dimension": opinion.dimension,
                "summary": opinion.summary,
                "disclosure": opinion.disclosure,
            },
            campaign=opinion.campaign,
        ),
    }
    return render(request, "opinions/opinion_detail.html", context, status=status)


def _boxes(user):
    if is_office(user):
        return [
            ("", _("All")),
            ("unassigned", _("Unassigned")),
            ("review", _("To review")),
            ("to_sign", _("Not signed for")),
            ("to_reply", _("Waiting for reply")),
        ]
    return [
        ("", _("All")),
        ("to_sign", _("To sign for")),
        ("to_reply", _("To reply")),
        ("returned", _("Returned or reopened")),
    ]
