"""Reading notices: the inbox, the unread count, the kinds a user can set preferences for."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from biaoshuai.core import campaign as active_campaign
from biaoshuai.core.registry import registry

from .models import Notification, NotificationPreference


def inbox_for(*, user, unread=False, kind=""):
    """The user's notices of the campaign the request works in, and those of no campaign."""
    notices = Notification.objects.filter(recipient=user).select_related("actor")
    if active_campaign.is_active():
        notices = notices.filter(Q(campaign__isnull=True) | Q(campaign=active_campaign.active_id()))
    if unread:
        notices = notices.unread()
    if kind:
        notices = notices.filter(kind=kind)
    return notices.order_by("-created_at", "-id")


def unread_count(*, user, app=""):
    """The bell's figure (one query); with `app`, only that app's kinds ("rectification")."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if app:
        unread = unread.filter(kind__startswith=f"{app}.")
    return unread.count()


def unread_elsewhere(*, user):
    """[(campaign id, name, unread count)]: the user's unread notices of the other campaigns,
    which the inbox does not list (one query)."""
    if not active_campaign.is_active():
        return []
    rows = (
        Notification.objects.filter(recipient=user, read_at__isnull=True, campaign__isnull=False)
        .exclude(campaign=active_campaign.active_id())
        .values("campaign", "campaign__short_name", "campaign__name")
        .annotate(n=Count("id"))
        .order_by("-campaign__starts_on", "campaign")
    )
    return [(r["campaign"], r["campaign__short_name"] or r["campaign__name"], r["n"]) for r in rows]


def notification_for(*, user, pk):
    """One of the user's own notices; another user's notice is as absent as a missing one."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def kinds():
    """Every registered kind, in order."""
    return sorted(registry.notification_kinds.values(), key=lambda k: (k.order, k.key))


def preferences_of(*, user):
    """[(kind, channel)] for every kind: the user's choice or the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return [(spec, chosen.get(spec.key, spec.default_channel)) for spec in kinds()]
