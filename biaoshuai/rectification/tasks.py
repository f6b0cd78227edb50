from django_tasks import task

from .services import reminders_send


@task()
def send_rectification_reminders():
    """The daily deadline reminders (safe to run more than once a day)."""
    return reminders_send()
