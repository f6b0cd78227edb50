"""The home page panel: deadlines of the items the user answers for."""

from django.utils import timezone

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
    if not any(counts.values()) and not unread:
        return None
    return {"counts": counts, "items": items, "unread": unread, "today": timezone.localdate()}
