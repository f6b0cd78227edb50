"""Reads for rectification items: the ledger, an item's record, what needs attention."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from biaoshuai.core.paginate import DEFAULT_PER_PAGE
from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.org.models import Unit

from ..models import DeadlineChange, Problem, ProgressUpdate, RectificationItem
from ..models.items import DUE_SOON_DAYS

LEDGER_ORDER = ("problem_id", "id")
EXPORT_CHUNK = 2000
# The columns a ledger page shows, and those the export writes.
LEDGER_PAGE_FIELDS = (
    "problem",
    "parent",
    "unit",
    "dimension",
    "measure",
    "leader_name",
    "person_name",
    "kind",
    "deadline",
    "state",
    "progress",
    "closed_on",
    "problem__description",
    "unit__name",
)
LEDGER_EXPORT_FIELDS = (
    *LEDGER_PAGE_FIELDS,
    "weight",
    "criteria",
    "problem__unit",
    "problem__unit__name",
)


def ledger_items(
    *, user, campaign, unit=None, dimension="", state="", kind="", urgency="", q="", today=None
):
    """The ledger (整改台账): items in the user's scope, filtered, in problem order.

    `urgency` is "overdue", "due_today" or "due_soon" (within 7 days, today included).
    Every filter but the search is on the item's own columns (it repeats its problem's
    campaign and dimension), so counting and ordering use the ledger indexes and never join
    the items to their problems. The rows of a page come from `ledger_page`; the export adds
    its columns with `ledger_export_rows`.
    """
    items = RectificationItem.objects.restrict(user).filter(campaign=campaign)
    scope = scope_for(user)
    if not scope.all:
        # The same scope once more as a list of unit ids, so that the planner reads only
        # those units' items through the (campaign, unit, …) index; joined on the unit's
        # path alone, SQLite walks every item of the campaign and looks up each one's unit.
        items = items.filter(unit__in=Unit.objects.filter(scope.q("path")).values("pk"))
    if unit is not None:
        items = items.filter(unit__in=Unit.objects.filter(path__subtree=unit.path).values("pk"))
    items = items.order_by(*LEDGER_ORDER)
    today = today or timezone.localdate()
    if dimension:
        items = items.filter(dimension=dimension)
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


class LedgerPaginator(Paginator):
    """Pages of the ledger by a deferred join: the page's ids are found on the filtered
    items alone (the ledger indexes cover the filter, the order and the OFFSET, so no row is
    read for the items skipped), and only those rows are read with their problem and unit.
    Both steps are one SQL statement (`id IN (SELECT id … LIMIT n OFFSET m)`), so a page
    costs the same number of queries as a plain slice; the count is that of the filtered
    items, on the same indexes."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        rows = (
            RectificationItem.objects.filter(pk__in=ids)
            .select_related("problem", "unit")
            .only(*LEDGER_PAGE_FIELDS)
            .order_by(*LEDGER_ORDER)
        )
        return self._get_page(rows, number, self)


def ledger_page(*, items, number, per_page=DEFAULT_PER_PAGE):
    """The requested page of `ledger_items(...)`; a bad page number gives the nearest one."""
    return LedgerPaginator(items, per_page).get_page(number)


def ledger_export_rows(*, items):
    """`ledger_items(...)` with what the export writes, streamed in chunks."""
    return (
        items.select_related("problem", "problem__unit", "unit")
        .only(*LEDGER_EXPORT_FIELDS)
        .iterator(chunk_size=EXPORT_CHUNK)
    )


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
    today = today or timezone.localdate()
    scope = scope_for(user, MANAGE)
    person_q = Q(person__user=user) | Q(leader__user=user)
    mine = scope.q("unit__path") | person_q if not scope.empty else person_q
    items = (
        RectificationItem.objects.in_campaign()
        .open()
        .filter(mine, deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
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
    return items.aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(state=RectificationItem.State.CLOSED))
    )


def progress_updates(*, item):
    return ProgressUpdate.objects.filter(item=item)
