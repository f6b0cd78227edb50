"""Reads for rectification items: the ledger, an item's record, what needs attention."""

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from ..models import DeadlineChange, Notice, Problem, ProgressUpdate, RectificationItem
from ..models.items import DUE_SOON_DAYS

LEDGER_ORDER = ("problem_id", "id")


def ledger_items(
    *, user, campaign, unit=None, dimension="", state="", kind="", urgency="", q="", today=None
):
    """The ledger (整改台账): items in the user's scope, filtered, in problem order.

    `urgency` is "overdue", "due_today" or "due_soon" (within 7 days, today included).
    """
    items = (
        RectificationItem.objects.restrict(user)
        .filter(problem__campaign=campaign)
        .select_related("problem", "unit", "parent")
        .order_by(*LEDGER_ORDER)
    )
    today = today or timezone.localdate()
    if unit is not None:
        items = items.filter(unit__path__startswith=unit.path)
    if dimension:
        items = items.filter(problem__dimension=dimension)
    if state:
        items = items.filter(state=state)
    if kind:
        items = items.filter(kind=kind)
    if urgency == "overdue":
        items = items.overdue(today)
    elif urgency == "due_today":
        items = items.open().filter(deadline=today)
    elif urgency == "due_soon":
        items = items.due_soon(today)
    if q:
        items = items.filter(Q(measure__icontains=q) | Q(problem__description__icontains=q))
    return items


def item_record(*, item):
    """An item's updates (with files), history, deadline requests and children (4 queries)."""
    updates = list(
        item.updates.select_related("created_by")
        .prefetch_related("files")
        .order_by("-created_at", "-id")
    )
    log = list(item.log.select_related("by"))
    changes = list(item.deadline_changes.select_related("requested_by", "decided_by"))
    children = list(item.children.select_related("unit").order_by("id"))
    return {"updates": updates, "log": log, "deadline_changes": changes, "children": children}


def deadline_changes_pending(*, user):
    return (
        DeadlineChange.objects.restrict(user)
        .filter(state=DeadlineChange.State.PENDING)
        .select_related("item", "item__unit", "item__problem", "requested_by")
        .order_by("requested_at", "id")
    )


def items_needing_attention(*, user, today=None, limit=5):
    """Open items the user answers for that are overdue or due within 7 days: those of the
    units the user manages and those where the user is the responsible person or leader."""
    from biaoshuai.core.scope import MANAGE, scope_for

    today = today or timezone.localdate()
    scope = scope_for(user, MANAGE)
    person_q = Q(person__user=user) | Q(leader__user=user)
    mine = scope.q("unit__path") | person_q if not scope.empty else person_q
    items = RectificationItem.objects.open().filter(
        mine, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)
    )
    counts = {
        "overdue": items.filter(deadline__lt=today).count(),
        "due_today": items.filter(deadline=today).count(),
        "due_soon": items.filter(deadline__gt=today).count(),
    }
    top = list(items.select_related("unit").order_by("deadline", "id")[:limit])
    return counts, top


def board_problems(*, campaign):
    """Problems disclosed to the public with their top-level items (for the portal)."""
    return (
        Problem.objects.public()
        .filter(campaign=campaign)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=RectificationItem.objects.filter(parent__isnull=True)
                .select_related("unit")
                .order_by("id"),
                to_attr="public_items",
            )
        )
        .order_by("-id")
    )


def board_summary(*, campaign):
    items = RectificationItem.objects.filter(
        problem__in=Problem.objects.public().filter(campaign=campaign), parent__isnull=True
    )
    from django.db.models import Count

    return items.aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(state=RectificationItem.State.CLOSED))
    )


def notices_for(*, user):
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-id")


def notices_unread_count(*, user):
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def progress_updates(*, item):
    return ProgressUpdate.objects.filter(item=item)
