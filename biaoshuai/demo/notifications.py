"""Demo notices: the hand-overs the other loaders made through the services already wrote
them; this adds the daily deadline reminders for the demo's today, and marks the older half
of each account's notices read, so that every role has read and unread notices."""

from biaoshuai.notifications.models import Notification
from biaoshuai.notifications.services import deadline_reminders_send, notification_mark_read

from .common import demo_user

ROLE_ACCOUNTS = ["leader", "office", "liaison_lishi", "liaison_zengji", "cadre_lishi"]


def load_notifications(*, log):
    created = deadline_reminders_send()
    for username in ROLE_ACCOUNTS:
        user = demo_user(username)
        notices = list(Notification.objects.filter(recipient=user).order_by("created_at", "pk"))
        if len(notices) < 2 or any(n.read_at for n in notices):
            continue  # too few to split, or split on an earlier run
        for notice in notices[: len(notices) // 2]:
            notification_mark_read(notification=notice, by=user)
    log(f"Notifications: {created} deadline reminders")
    return created
