"""Reading notices: the inbox, the unread count, the kinds a user can set preferences for."""

from django.shortcuts import get_object_or_404

from biaoshuai.core.registry import registry

from .models import Notification, NotificationPreference


def inbox_for(*, user, unread=False, kind=""):
    notices = Notification.objects.filter(recipient=user).select_related("actor")
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
