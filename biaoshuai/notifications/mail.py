"""The e-mail of a notice, sent in the background after the notice is written."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from biaoshuai.core.registry import registry

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
    with get_connection() as connection:
        for notice in notices:
            spec = registry.notification_kinds.get(notice.kind)
            subject = _("Biaoshuai: %(kind)s") % {"kind": spec.label if spec else notice.kind}
            body = notice.text
            if notice.url:
                body += "\n\n" + settings.SITE_URL.rstrip("/") + notice.url
            message = EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [notice.recipient.email],
                connection=connection,
            )
            try:
                message.send()
            except OSError:
                logger.exception("Notification e-mail %s failed", notice.pk)
                continue
            Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
