"""Reads for supervision items and tasks, always within the user's scope."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from biaoshuai.core.scope import VIEW, get_scoped_or_404
from biaoshuai.notifications.selectors import inbox_for

from ..models import SupervisionItem, SupervisionTask, TaskEvent, TaskEvidence


def tasks_visible_to(*, user, state="", unit=None, warning="", q="", today=None, item=None):
    """Tasks in the user's scope with `warning_code` and `evidence_count`, soonest first."""
    tasks = (
        SupervisionTask.objects.restrict(user, VIEW)
        .with_warning(today)
        .select_related("item", "unit")
        .annotate(evidence_count=Count("evidence", distinct=True))
    )
    if item is not None:
        tasks = tasks.filter(item=item)
    if state == "owed":
        tasks = tasks.filter(state__in=SupervisionTask.OWED)
    elif state:
        tasks = tasks.filter(state=state)
    if unit is not None:
        tasks = tasks.filter(unit__path__subtree=unit.path)
    if warning == "red":
        tasks = tasks.red(today)
    elif warning == "yellow":
        tasks = tasks.yellow(today)
    if q:
        tasks = tasks.filter(Q(item__subject__icontains=q) | Q(item__requirement__icontains=q))
    return tasks.order_by("item__deadline", "unit__path", "pk")


def items_visible_to(*, user, q="", today=None):
    """Supervision items with how many of their tasks are in each state and how many are red."""
    today = today or timezone.localdate()
    State = SupervisionTask.State
    items = SupervisionItem.objects.restrict(user, VIEW).annotate(
        task_count=Count("tasks"),
        accepted_count=Count("tasks", filter=Q(tasks__state=State.ACCEPTED)),
        replied_count=Count("tasks", filter=Q(tasks__state=State.REPLIED)),
        red_count=Count(
            "tasks",
            filter=Q(tasks__state__in=SupervisionTask.OWED, deadline__lt=today),
        ),
    )
    if q:
        items = items.filter(Q(subject__icontains=q) | Q(requirement__icontains=q))
    return items.select_related("issued_by").order_by("-created_at", "-pk")


def task_detail(*, user, pk, action=VIEW):
    """One task with its item, evidence, history and reminders (404 outside scope)."""
    queryset = SupervisionTask.objects.select_related(
        "item", "item__issued_by", "unit", "signed_by", "replied_by", "reviewed_by"
    ).prefetch_related(
        Prefetch("evidence", queryset=TaskEvidence.objects.order_by("pk")),
        Prefetch("events", queryset=TaskEvent.objects.select_related("by").order_by("at", "pk")),
    )
    return get_scoped_or_404(queryset, user, action, pk=pk)


def reminders_for(*, user, limit=5):
    """The latest unread reminders (催办) sent to the user."""
    return inbox_for(user=user, unread=True, kind="supervision.remind")[:limit]
