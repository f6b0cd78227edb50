"""Background jobs: e-mails to submitters, and grouping opinions by similarity."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from .codes import code_display, code_unseal
from .grouping import grouping_compute
from .models import Opinion


@task()
def opinion_code_send(*, opinion_id, nonce, sealed):
    """E-mail the submitter their tracking code (the code travels sealed, see codes.code_seal)."""
    opinion = Opinion.objects.filter(pk=opinion_id).exclude(submitter_email="").first()
    if opinion is None:
        return 0
    code = code_display(code_unseal(nonce, sealed))
    body = _(
        "Thank you for your opinion. Your tracking code is %(code)s.\n"
        "Keep it: with it you can see the reply and rate it at %(url)s.\n"
        "The code shows only your own opinion; do not share it."
    ) % {"code": code, "url": settings.SITE_URL.rstrip("/") + reverse("opinions_public:track")}
    return send_mail(
        _("Your opinion has been received"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [opinion.submitter_email],
    )


@task()
def opinion_reply_notify(*, opinion_id):
    """Tell the submitter that a reply is published (no code and no content in the mail)."""
    opinion = Opinion.objects.filter(pk=opinion_id).exclude(submitter_email="").first()
    if opinion is None:
        return 0
    body = _(
        "Your opinion has a reply. Enter your tracking code at %(url)s to read and rate it."
    ) % {"url": settings.SITE_URL.rstrip("/") + reverse("opinions_public:track")}
    return send_mail(
        _("Your opinion has a reply"), body, settings.DEFAULT_FROM_EMAIL, [opinion.submitter_email]
    )


@task()
def opinions_group(*, run_id):
    """Compute the similarity groups of one grouping run (see grouping.py)."""
    return grouping_compute(run_id=run_id)
