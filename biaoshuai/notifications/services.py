"""Writing notices: `notify()` for every app, marking read, preferences, the daily jobs."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biaoshuai.core.registry import registry

from .mail import absolute_url, mail_connection, mail_send, notifications_email_send
from .models import Channel, Notification, NotificationPreference

logger = logging.getLogger(__name__)

UNKNOWN_KIND = _("Unknown kind of notification.")
UNKNOWN_CHANNEL = _("Choose in the app, e-mail at once or the daily digest.")
TEXT_MAX = 300
# Deadline reminders: a record is reminded of this many days before its deadline, on the
# day itself, and every day after it is overdue.
DUE_SOON_DAYS = 3


def notify(*, recipients, kind, text, url="", actor=None, campaign=None, dedupe_key=None):
    """Write one inbox row per recipient (the actor and duplicates left out) and queue the
    e-mail of those who want it at once, after the transaction commits.

    With `dedupe_key`, a recipient who already has a notice with that key gets none.
    Returns the notices written.
    """
    if kind not in registry.notification_kinds:
        raise ValueError(f"notification kind {kind!r} is not registered")
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    ids = []
    for recipient in recipients:
        pk = getattr(recipient, "pk", recipient)
        if pk is not None and pk != actor_id and pk not in ids:
            ids.append(pk)
    if dedupe_key and ids:
        seen = set(
            Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        ids = [pk for pk in ids if pk not in seen]
    if not ids:
        return []
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            text=str(text)[:TEXT_MAX],
            url=url[:300],
            actor_id=actor_id,
            campaign=campaign,
            created_at=now,
            dedupe_key=dedupe_key or "",
        )
        for pk in ids
    ]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:  # a concurrent run wrote some of the same keys: write the rest
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
                created.append(row)
            except IntegrityError:
                continue
    channels = channels_for(user_ids=[n.recipient_id for n in created], kind=kind)
    email_ids = [n.pk for n in created if channels[n.recipient_id] == Channel.EMAIL]
    if email_ids:
        transaction.on_commit(lambda: notifications_email_send.enqueue(notification_ids=email_ids))
    return created


def channels_for(*, user_ids, kind):
    """{user id: channel} for one kind: each user's choice, else the kind's default."""
    default = registry.notification_kinds[kind].default_channel
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {pk: chosen.get(pk, default) for pk in user_ids}


@transaction.atomic
def notification_mark_read(*, notification, by):
    """Mark one of the user's own notices read (a second call changes nothing)."""
    if notification.recipient_id != by.pk:
        raise ValidationError(UNKNOWN_KIND)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, kind=""):
    """Mark all the user's unread notices read (of one kind when given); returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, user, choices):
    """Save the user's channel per kind ({kind: channel}); a choice equal to the kind's
    default removes the stored preference."""
    for kind, channel in choices.items():
        spec = registry.notification_kinds.get(kind)
        if spec is None:
            raise ValidationError(UNKNOWN_KIND)
        if channel not in Channel.values:
            raise ValidationError(UNKNOWN_CHANNEL)
        if channel == spec.default_channel:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"channel": channel}
            )


def deadline_reminders_send(*, today=None):
    """Remind the people who must act of every open record due within three days, due
    today or overdue, for every app that registers `deadlines`.

    One notice per record, person and day (the dedupe key holds the date), so a second run
    on the same day sends nothing. Returns the number of notices written.
    """
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for spec in sorted(registry.notification_kinds.values(), key=lambda k: k.order):
            if spec.deadlines is None:
                continue
            for deadline in spec.deadlines(today=today):
                days = (deadline.due - today).days
                if days > DUE_SOON_DAYS:
                    continue
                text = _deadline_text(deadline, days)
                with transaction.atomic():
                    sent += len(
                        notify(
                            recipients=deadline.recipients,
                            kind=spec.key,
                            text=text,
                            url=deadline.url,
                            campaign=deadline.campaign,
                            dedupe_key=f"deadline:{deadline.key}:{today.isoformat()}",
                        )
                    )
    return sent


def _deadline_text(deadline, days):
    title = str(deadline.title)[:120]
    if days < 0:
        return _("Overdue by %(days)s days: %(title)s (deadline %(due)s)") % {
            "days": -days,
            "title": title,
            "due": deadline.due,
        }
    if days == 0:
        return _("Due today: %(title)s") % {"title": title}
    return _("Due in %(days)s days: %(title)s (deadline %(due)s)") % {
        "days": days,
        "title": title,
        "due": deadline.due,
    }


def digest_send(*, now=None):
    """E-mail each user who chose the daily digest one message with their unread notices
    of those kinds not yet e-mailed; the notices are marked e-mailed. Returns mails sent."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        return _digest_send(now)


def _digest_send(now):
    default_digest = [
        k
        for k, spec in registry.notification_kinds.items()
        if spec.default_channel == Channel.DIGEST
    ]
    chosen = NotificationPreference.objects.filter(channel=Channel.DIGEST)
    candidates = (
        Notification.objects.filter(
            read_at__isnull=True, emailed_at__isnull=True, created_at__gte=now - timedelta(days=7)
        )
        .filter(Q(kind__in=default_digest) | Q(recipient_id__in=chosen.values("user_id")))
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    preferences = {
        (p.user_id, p.kind): p.channel
        for p in NotificationPreference.objects.filter(
            user_id__in=candidates.values("recipient_id")
        )
    }
    by_user = {}
    for notice in candidates:
        spec = registry.notification_kinds.get(notice.kind)
        default = spec.default_channel if spec else Channel.APP
        if preferences.get((notice.recipient_id, notice.kind), default) == Channel.DIGEST:
            by_user.setdefault(notice.recipient, []).append(notice)
    if not by_user:
        return 0
    sent = 0
    with mail_connection() as connection:
        for user, notices in by_user.items():
            lines = [f"· {n.text}\n  {absolute_url(n.url)}" for n in notices]
            body = _("Your unread notices:") + "\n\n" + "\n".join(lines)
            subject = _("Biaoshuai: %(count)s unread notices") % {"count": len(notices)}
            if not mail_send(to=user.email, subject=subject, body=body, connection=connection):
                continue
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
            sent += 1
    return sent
