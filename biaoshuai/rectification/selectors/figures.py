"""The figures other apps read through the registry (assessment, bulletins, the home page).

Counted on top-level items of the campaign (sub-items are steps of their parent):
- an item is *due* when its deadline has passed (today included) or it is closed;
- close rate = closed items / due items × 100;
- on-time rate = items closed on or before their deadline / due items × 100;
- overdue = open items whose deadline is before today.
A rate with no due items is None (not applicable).
"Today" may be a past day (a bulletin for October counts as of October 31): an item
closed after that day was still open then, and an item listed after it is not counted.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.scope import scope_for
from biaoshuai.org.models import Unit

from ..models import Problem, RectificationItem

CLOSED = RectificationItem.State.CLOSED


def _conditions(today):
    closed = Q(state=CLOSED, closed_on__lte=today)
    listed = Q(created_at__date__lte=today)
    return {
        "due": listed & (Q(deadline__lte=today) | closed),
        "closed": listed & closed,
        "on_time": listed & closed & Q(closed_on__lte=F("deadline")),
        "overdue": listed & ~closed & Q(deadline__lt=today),
    }


def figures_total(*, user, campaign=None, today=None):
    """{due, closed, on_time, overdue} within the user's scope, or None without a scope."""
    if scope_for(user).empty:
        return None
    campaign = campaign or campaign_current()
    if campaign is None:
        return None
    today = today or timezone.localdate()
    items = RectificationItem.objects.restrict(user).filter(campaign=campaign, parent__isnull=True)
    return items.aggregate(**{k: Count("pk", filter=q) for k, q in _conditions(today).items()})


def figures_by_unit(*, campaign=None, unit_ids, today=None):
    """{unit_id: {due, closed, on_time, overdue}} over each unit's subtree, in one query."""
    campaign = campaign or campaign_current()
    unit_ids = list(unit_ids)
    if campaign is None:
        return {pk: {"due": 0, "closed": 0, "on_time": 0, "overdue": 0} for pk in unit_ids}
    today = today or timezone.localdate()
    base = RectificationItem.objects.filter(
        campaign=campaign, parent__isnull=True, unit__path__subtree=OuterRef("path")
    )
    annotations = {k: _count(base.filter(q)) for k, q in _conditions(today).items()}
    rows = Unit.objects.filter(pk__in=unit_ids).annotate(**annotations)
    return {
        u.pk: {"due": u.due, "closed": u.closed, "on_time": u.on_time, "overdue": u.overdue}
        for u in rows
    }


def problems_found_by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None):
    """{unit_id: problems listed for the unit's subtree}, in the period when one is given."""
    campaign = campaign or campaign_current()
    unit_ids = list(unit_ids)
    if campaign is None:
        return dict.fromkeys(unit_ids, 0)
    base = Problem.objects.filter(campaign=campaign, unit__path__subtree=OuterRef("path"))
    if period_start is not None and period_end is not None:
        base = base.filter(created_at__date__gte=period_start, created_at__date__lte=period_end)
    rows = Unit.objects.filter(pk__in=unit_ids).annotate(found=_count(base))
    return {u.pk: u.found for u in rows}


def problems_found_total(*, user, campaign=None):
    """Problems listed within the user's scope, or None without a scope."""
    if scope_for(user).empty:
        return None
    campaign = campaign or campaign_current()
    if campaign is None:
        return None
    return Problem.objects.restrict(user).filter(campaign=campaign).count()


def rate(part, whole):
    return None if not whole else round(part * 100 / whole, 1)


def _count(queryset):
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
