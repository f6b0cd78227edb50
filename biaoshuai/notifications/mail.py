"""The one way the platform sends e-mail: notices, digests and the mails to citizens who
sent an opinion without an account.

A citizen has no inbox, so the opinions app does not write a Notification for them; it
calls `mail_send()` from its own task, because the tracking code travels sealed until that
task and must never be stored (see opinions/codes.py). Same sender, same connection
settings, same logging of failures as every notice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from biaoshuai.core.registry import registry

from .models import Notification

logger = logging.getLogger(__name__)


def mail_send(*, to, subject, body, connection=None):
    """Send one message to one address; True when the server took it. A failure is logged
    (without the body, which may hold a tracking code) and returns False."""
    if not to:
        return False
    message = EmailMessage(
        str(subject), str(body), settings.DEFAULT_FROM_EMAIL, [to], connection=connection
    )
    try:
        return bool(message.send())
    except OSError:
        logger.exception("E-mail %r failed", str(subject))
        return False


def mail_connection():
    """A connection to reuse for several messages (`with mail_connection() as c:`)."""
    return get_connection()


def absolute_url(url):
    """The site's address in front of a path, for links in mails."""
    if not url:
        return ""
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


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
