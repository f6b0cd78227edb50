"""Background jobs: e-mails to submitters, and grouping opinions by similarity."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from biaoshuai.notifications.mail import absolute_url, mail_send

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
    ) % {"code": code, "url": absolute_url(reverse("opinions_public:track"))}
    # Through the notifications' mail path, not notify(): a citizen has no account.
    subject = _("Your opinion has been received")
    return int(mail_send(to=opinion.submitter_email, subject=subject, body=body))


@task()
def opinion_reply_notify(*, opinion_id):
    """Tell the submitter that a reply is published (no code and no content in the mail)."""
    opinion = Opinion.objects.filter(pk=opinion_id).exclude(submitter_email="").first()
    if opinion is None:
        return 0
    body = _(
        "Your opinion has a reply. Enter your tracking code at %(url)s to read and rate it."
    ) % {"url": absolute_url(reverse("opinions_public:track"))}
    subject = _("Your opinion has a reply")
    return int(mail_send(to=opinion.submitter_email, subject=subject, body=body))


@task()
def opinions_group(*, run_id):
    """Compute the similarity groups of one grouping run (see grouping.py)."""
    return grouping_compute(run_id=run_id)
