from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from .. import selectors, services
from ..forms import ItemIssueForm, ReasonForm, RemindForm, ReplyForm, TaskFilterForm
from ..models import SupervisionItem, SupervisionTask, TaskEvidence
from .common import (
    can_issue,
    can_reply,
    can_view_supervision,
    cleaned,
    current_campaign,
    error_text,
    file_response,
    query_string,
    render_list,
)


@user_passes(can_view_supervision)
@require_GET
def task_list(request):
    form = TaskFilterForm(request.GET or None, user=request.user)
    filters = cleaned(form)
    tasks = selectors.tasks_visible_to(
        user=request.user,
        state=filters.get("state") or "",
        unit=filters.get("unit"),
        warning=filters.get("warning") or "",
        q=filters.get("q") or "",
    )
    context = {
        "form": form,
        "page": paginate(request, tasks),
        "query": query_string(request),
        "can_issue": can_issue(request.user),
    }
    return render_list(request, "supervision/task_list.html", context)


@user_passes(can_issue)
@require_GET
def item_list(request):
    q = (request.GET.get("q") or "").strip()
    items = selectors.items_visible_to(user=request.user, q=q)
    context = {"page": paginate(request, items), "query": query_string(request), "q": q}
    return render_list(request, "supervision/item_list.html", context)


@user_passes(can_issue)
@require_http_methods(["GET", "POST"])
def item_create(request):
    campaign = current_campaign()
    form = ItemIssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.supervision_item_issue(
                by=request.user,
                campaign=campaign,
                subject=data["subject"],
                requirement=data["requirement"],
                deadline=data["deadline"],
                units=list(data["units"]),
                issuer=data["issuer"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Supervision item issued to %(n)d units.") % {"n": item.tasks.count()}
            )
            return redirect("supervision:item_detail", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form})


@user_passes(can_issue)
@require_GET
def item_detail(request, pk):
    item = get_object_or_404(
        SupervisionItem.objects.restrict(request.user, VIEW).select_related("issued_by"), pk=pk
    )
    tasks = selectors.tasks_visible_to(user=request.user, item=item)
    return render(
        request,
        "supervision/item_detail.html",
        {"item": item, "page": paginate(request, tasks, per_page=100), "query": ""},
    )


@user_passes(can_view_supervision)
@require_GET
def task_detail(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk)
    return render(request, "supervision/task_detail.html", _task_context(request, task))


@user_passes(can_reply)
@require_POST
def task_sign(request, pk):
    task = get_scoped_or_404(SupervisionTask.objects.all(), request.user, MANAGE, pk=pk)
    try:
        services.task_sign(task=task, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Signed for."))
    return redirect("supervision:task_detail", pk=task.pk)


@user_passes(can_reply)
@require_http_methods(["GET", "POST"])
def task_reply(request, pk):
    task = get_scoped_or_404(
        SupervisionTask.objects.select_related("item", "unit"), request.user, MANAGE, pk=pk
    )
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_reply(
                task=task,
                by=request.user,
                reply=form.cleaned_data["reply"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reply sent."))
            return redirect("supervision:task_detail", pk=task.pk)
    return render(request, "supervision/task_reply.html", {"task": task, "form": form})


@user_passes(can_issue)
@require_POST
def task_accept(request, pk):
    task = get_scoped_or_404(SupervisionTask.objects.all(), request.user, VIEW, pk=pk)
    try:
        services.task_accept(task=task, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Reply accepted."))
    return redirect("supervision:task_detail", pk=task.pk)


@user_passes(can_issue)
@require_POST
def task_return(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.task_return(task=task, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reply sent back."))
            return redirect("supervision:task_detail", pk=task.pk)
    context = _task_context(request, task, return_form=form)
    return render(request, "supervision/task_detail.html", context, status=400)


@user_passes(can_issue)
@require_POST
def task_remind(request, pk):
    task = get_scoped_or_404(SupervisionTask.objects.all(), request.user, VIEW, pk=pk)
    form = RemindForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        notices = services.task_remind(task=task, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Reminder recorded and shown to %(n)d liaisons.") % {"n": len(notices)},
        )
    return redirect("supervision:task_detail", pk=task.pk)


@user_passes(can_view_supervision)
@require_GET
def evidence_download(request, pk):
    evidence = get_scoped_or_404(TaskEvidence.objects.all(), request.user, VIEW, pk=pk)
    return file_response(evidence.file, evidence.name)


def _task_context(request, task, *, return_form=None):
    user = request.user
    manages = scope_for(user, MANAGE).covers(task.unit)
    State = SupervisionTask.State
    return {
        "task": task,
        "item": task.item,
        "can_sign": can_reply(user) and manages and task.state == State.ISSUED,
        "can_reply": can_reply(user) and manages and task.state in (State.SIGNED, State.RETURNED),
        "can_review": can_issue(user) and task.state == State.REPLIED,
        "can_remind": can_issue(user) and task.state in SupervisionTask.OWED,
        "return_form": return_form or ReasonForm(),
        "remind_form": RemindForm(),
    }
