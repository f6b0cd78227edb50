"""Daily deadline reminders for rectification items.

Run once a day from cron, e.g. at 8:00:

    0 8 * * *  cd /srv/biaoshuai && .venv/bin/python manage.py send_rectification_reminders

By default the job is queued for the task worker (`manage.py db_worker`); `--now` runs it
in this process. Running it twice on one day sends nothing the second time.
"""

from django.core.management.base import BaseCommand

from biaoshuai.rectification.tasks import send_rectification_reminders


class Command(BaseCommand):
    help = "Send the day's deadline reminders for rectification items (idempotent per day)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_rectification_reminders.call()
            self.stdout.write(f"Reminders sent: {sent}")
            return
        result = send_rectification_reminders.enqueue()
        self.stdout.write(f"Reminder job queued: {result.id} ({result.status})")
