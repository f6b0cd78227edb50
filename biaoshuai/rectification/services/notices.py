"""In-app notices and the daily deadline reminders."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from biaoshuai.core.roles import Role
from biaoshuai.org.models import RoleAssignment

from ..models import Notice, RectificationItem, Reminder
from ..models.items import DUE_SOON_DAYS

logger = logging.getLogger(__name__)


def item_recipients(*, items):
    """{item id: [users]}: the responsible person's and leader's logins, and the liaisons
    of the responsible unit and the units above it. Two queries whatever the items."""
    liaisons = list(
        RoleAssignment.objects.filter(role=Role.LIAISON, user__is_active=True).values_list(
            "unit__path", "user"
        )
    )
    ids = {user_id for _path, user_id in liaisons}
    for item in items:
        for person in (item.person, item.leader):
            if person is not None and person.user_id:
                ids.add(person.user_id)
    from django.contrib.auth import get_user_model

    by_id = get_user_model().objects.in_bulk(ids)
    out = {}
    for item in items:
        chosen = {}
        for person in (item.person, item.leader):
            if person is not None and person.user_id in by_id:
                chosen[person.user_id] = by_id[person.user_id]
        for path, user_id in liaisons:
            if item.unit.path.startswith(path) and user_id in by_id:
                chosen[user_id] = by_id[user_id]
        out[item.pk] = list(chosen.values())
    return out


def notices_send(*, users, text, link=""):
    """One notice per user (the same user once)."""
    unique = {u.pk: u for u in users if u is not None}
    Notice.objects.bulk_create(
        [Notice(recipient=u, text=str(text)[:300], link=link) for u in unique.values()]
    )
    return len(unique)


@transaction.atomic
def notice_mark_read(*, notice, by):
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, user):
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def reminders_send(*, today=None):
    """Remind the responsible of items due within 7 days, due today or overdue.

    At most one reminder per item, kind and day: the unique constraint on Reminder makes a
    second run on the same day send nothing. Returns the number of reminders sent.
    """
    today = today or timezone.localdate()
    items = list(
        RectificationItem.objects.open()
        .filter(deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
        .exclude(reminders__on=today)
        .select_related("unit", "person", "leader")
        .order_by("deadline", "id")
    )
    recipients = item_recipients(items=items)
    email = bool(settings.EMAIL_HOST)
    sent = 0
    for item in items:
        kind = item.urgency(today)
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(item=item, kind=kind, on=today)
                users = recipients[item.pk]
                text = _reminder_text(item, kind, today)
                link = reverse("rectification:item_detail", args=[item.pk])
                reminder.recipients = notices_send(users=users, text=text, link=link)
                if email:
                    reminder.emailed = _email(users, text, link)
                reminder.save(update_fields=["recipients", "emailed"])
        except IntegrityError:
            continue  # another run reminded of this item today
        sent += 1
    return sent


def _reminder_text(item, kind, today):
    if kind == Reminder.Kind.OVERDUE:
        return _("Overdue by %(days)s days: %(measure)s (deadline %(deadline)s)") % {
            "days": (today - item.deadline).days,
            "measure": item.measure[:80],
            "deadline": item.deadline,
        }
    if kind == Reminder.Kind.DUE_TODAY:
        return _("Due today: %(measure)s") % {"measure": item.measure[:80]}
    return _("Due in %(days)s days: %(measure)s (deadline %(deadline)s)") % {
        "days": (item.deadline - today).days,
        "measure": item.measure[:80],
        "deadline": item.deadline,
    }


def _email(users, text, link):
    addresses = [u.email for u in users if getattr(u, "email", "")]
    if not addresses:
        return 0
    body = f"{text}\n\n{getattr(settings, 'SITE_URL', '')}{link}"
    try:
        send_mail(_("Rectification reminder"), body, None, addresses, fail_silently=False)
        return len(addresses)
    except OSError:
        logger.exception("Rectification reminder e-mail failed")
        return 0
