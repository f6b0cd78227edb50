from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_office, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from .. import selectors, services
from ..forms import (
    DeadlineChangeForm,
    DeadlineDecisionForm,
    ItemForm,
    NoteForm,
    ProgressForm,
    ReasonForm,
)
from ..models import DeadlineChange, Evidence, Problem, RectificationItem
from .common import add_errors, can_manage, can_report_on, can_verify, can_view

ITEM_SELECT = (
    "problem",
    "problem__campaign",
    "problem__unit",
    "unit",
    "parent",
    "person",
    "leader",
)


def _item(request, pk):
    return get_scoped_or_404(
        RectificationItem.objects.select_related(*ITEM_SELECT), request.user, VIEW, pk=pk
    )


def _reportable(request, pk):
    item = _item(request, pk)
    if not can_report_on(request.user, item):
        raise PermissionDenied
    return item


@user_passes(can_manage)
@require_http_methods(["GET", "POST"])
def item_create(request, problem_pk):
    problem = get_scoped_or_404(
        Problem.objects.select_related("campaign", "unit"), request.user, MANAGE, pk=problem_pk
    )
    parent = None
    if request.GET.get("parent"):
        parent = (
            RectificationItem.objects.restrict(request.user, MANAGE)
            .filter(
                problem=problem, pk=request.GET["parent"] if request.GET["parent"].isdigit() else 0
            )
            .first()
        )
        if parent is None:
            raise Http404
    initial = {"unit": parent.unit if parent else problem.unit}
    if parent:
        initial.update(kind=parent.kind, deadline=parent.deadline)
    form = ItemForm(request.POST or None, initial=initial, user=request.user, problem=problem)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_create(
                by=request.user,
                problem=problem,
                parent=parent,
                measure=data["measure"],
                unit=data["unit"],
                kind=data["kind"],
                deadline=data["deadline"],
                criteria=data["criteria"],
                leader_name=data["leader_name"],
                person=data["person"],
                person_name=data["person_name"],
                weight=data["weight"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Rectification item added."))
            return redirect("rectification:item_detail", pk=item.pk)
    return render(
        request,
        "rectification/item_form.html",
        {"form": form, "problem": problem, "parent": parent},
    )


@user_passes(can_view)
@require_GET
def item_detail(request, pk):
    item = _item(request, pk)
    return render(request, "rectification/item_detail.html", _detail_context(request, item))


def _detail_context(request, item, **forms):
    campaign = item.problem.campaign
    record = selectors.item_record(item=item)
    reporter = can_report_on(request.user, item)
    verifier = can_verify(request.user)
    has_children = bool(record["children"])
    State = RectificationItem.State
    return {
        "item": item,
        **record,
        "dimensions": dict(campaign.choices("problem_dimensions")),
        "kinds": dict(campaign.choices("rectification_kinds")),
        "can_report": reporter and item.state in (State.PLANNED, State.IN_PROGRESS, State.RETURNED),
        "can_submit": reporter and item.state in (State.IN_PROGRESS, State.RETURNED),
        "can_start": reporter and item.state == State.PLANNED,
        "can_verify": verifier and item.state == State.SUBMITTED,
        "can_request_deadline": reporter and item.is_open,
        "can_add_sub": scope_for(request.user, MANAGE).covers(item.problem.unit) and item.is_open,
        "pending_change": next(
            (c for c in record["deadline_changes"] if c.state == "pending"), None
        ),
        "progress_form": forms.get("progress_form") or ProgressForm(computed=has_children),
        "return_form": forms.get("return_form") or ReasonForm(),
        "close_form": forms.get("close_form") or NoteForm(),
        "deadline_form": forms.get("deadline_form") or DeadlineChangeForm(),
        "decision_form": DeadlineDecisionForm(),
        "is_office": is_office(request.user),
    }


def _rerender(request, item, status=400, **forms):
    return render(
        request,
        "rectification/item_detail.html",
        _detail_context(request, item, **forms),
        status=status,
    )


@user_passes(can_view)
@require_POST
def item_progress(request, pk):
    item = _reportable(request, pk)
    computed = item.children.exists()
    form = ProgressForm(request.POST, request.FILES, computed=computed)
    if form.is_valid():
        try:
            services.progress_record(
                item=item,
                by=request.user,
                text=form.cleaned_data["text"],
                percent=None if computed else form.cleaned_data.get("percent"),
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("rectification:item_detail", pk=item.pk)
    return _rerender(request, item, progress_form=form)


@user_passes(can_view)
@require_POST
def item_start(request, pk):
    item = _reportable(request, pk)
    return _simple(
        request, item, lambda: services.item_start(item=item, by=request.user), _("Item started.")
    )


@user_passes(can_view)
@require_POST
def item_submit(request, pk):
    item = _reportable(request, pk)
    return _simple(
        request,
        item,
        lambda: services.item_submit(item=item, by=request.user),
        _("Submitted to the campaign office for verification."),
    )


@user_passes(can_verify)
@require_POST
def item_return(request, pk):
    item = _item(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.item_return(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Item returned."))
            return redirect("rectification:item_detail", pk=item.pk)
    return _rerender(request, item, return_form=form)


@user_passes(can_verify)
@require_POST
def item_close(request, pk):
    item = _item(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.item_close(item=item, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Item closed."))
            return redirect("rectification:item_detail", pk=item.pk)
    return _rerender(request, item, close_form=form)


@user_passes(can_view)
@require_POST
def deadline_change_request(request, pk):
    item = _reportable(request, pk)
    form = DeadlineChangeForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_change_request(
                item=item,
                by=request.user,
                proposed=form.cleaned_data["proposed"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Request sent to the campaign office."))
            return redirect("rectification:item_detail", pk=item.pk)
    return _rerender(request, item, deadline_form=form)


@user_passes(is_office)
@require_GET
def deadline_change_list(request):
    changes = selectors.deadline_changes_pending(user=request.user)
    return render(
        request,
        "rectification/deadline_change_list.html",
        {"page": paginate(request, changes), "form": DeadlineDecisionForm()},
    )


@user_passes(is_office)
@require_POST
def deadline_change_decide(request, pk):
    change = get_scoped_or_404(
        DeadlineChange.objects.select_related("item"), request.user, MANAGE, pk=pk
    )
    form = DeadlineDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_change_decide(
                change=change,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose approve or refuse."))
    return redirect(
        request.POST.get("next")
        if request.POST.get("next", "").startswith("/rectification/")
        else "rectification:deadline_change_list"
    )


@user_passes(can_view)
@require_GET
def evidence_download(request, pk):
    try:
        evidence = Evidence.objects.select_related("update__item__unit").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    if not scope_for(request.user, VIEW).covers(evidence.update.item.unit):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


def _simple(request, item, action, success):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("rectification:item_detail", pk=item.pk)
