"""Background jobs: the e-mail of a notice, the daily deadline reminders and the digest."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from biaoshuai.core.registry import registry

from .mail import absolute_url, mail_connection, mail_send
from .models import Notification

logger = logging.getLogger(__name__)


@task()
def notifications_email_send(*, notification_ids):
    """E-mail the given notices not e-mailed yet to recipients with an address; returns how
    many were sent. Each sent notice is marked, so a retried job sends nothing twice."""
    notices = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    sent = 0
    with mail_connection() as connection:
        for notice in notices:
            spec = registry.notification_kinds.get(notice.kind)
            subject = _("Biaoshuai: %(kind)s") % {"kind": spec.label if spec else notice.kind}
            body = notice.text
            if notice.url:
                body += "\n\n" + absolute_url(notice.url)
            if not mail_send(
                to=notice.recipient.email, subject=subject, body=body, connection=connection
            ):
                continue
            Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


@task()
def notifications_daily():
    """The daily deadline reminders of every app (safe to run more than once a day)."""
    from .services import deadline_reminders_send

    return deadline_reminders_send()


@task()
def notifications_digest():
    """The daily e-mail digest for users who chose it."""
    from .services import digest_send

    return digest_send()
