"""Background jobs: the daily deadline reminders and the digest (a notice's e-mail is
`mail.notifications_email_send`)."""

from django_tasks import task

from .services import deadline_reminders_send, digest_send


@task()
def notifications_daily():
    """The daily deadline reminders of every app (safe to run more than once a day)."""
    return deadline_reminders_send()


@task()
def notifications_digest():
    """The daily e-mail digest for users who chose it."""
    return digest_send()
