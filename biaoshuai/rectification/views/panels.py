"""The home page panel: deadlines of the items the user answers for."""

from django.utils import timezone

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.figures import FigurePeriod, figure_safe
from biaoshuai.core.registry import registry
from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.notifications.selectors import unread_count

from .. import selectors


def attention_panel(request):
    user = request.user
    has_person = getattr(user, "person", None) is not None if user.is_authenticated else False
    if not user.is_authenticated or (scope_for(user, MANAGE).empty and not has_person):
        return None
    counts, items = selectors.items_needing_attention(user=user)
    unread = unread_count(user=user, app="rectification")
    # The overdue count is the registered figure (the ledger's and the dashboard's), for
    # the units the user sees; a person with no unit scope counts their own items.
    overdue = figure_safe(
        registry.metrics.get("rectification.overdue"),
        campaign=campaign_current(),
        period=FigurePeriod.as_of(),
        user=user,
    )
    if overdue is not None and overdue.value is None:
        overdue = None
    if not any(counts.values()) and not unread and not (overdue and overdue.value):
        return None
    return {
        "counts": counts,
        "overdue": overdue,
        "items": items,
        "unread": unread,
        "today": timezone.localdate(),
    }
