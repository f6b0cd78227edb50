"""The daily deadline reminders of every module (due in 3 days, due today, overdue).

Run once a day, e.g. at 8:00: `manage.py notifications_daily`. It runs here by default;
`--queue` hands it to the task worker. A second run on the same day sends nothing.
"""

import datetime

from django.core.management.base import BaseCommand

from biaoshuai.notifications.services import deadline_reminders_send
from biaoshuai.notifications.tasks import notifications_daily


class Command(BaseCommand):
    help = "Send the day's deadline reminders of every module (idempotent per day)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--queue", action="store_true", help="queue for the task worker")

    def handle(self, *args, today=None, queue=False, **options):
        if queue:
            result = notifications_daily.enqueue()
            self.stdout.write(f"Deadline reminders queued: {result.id} ({result.status})")
            return
        sent = deadline_reminders_send(today=today)
        self.stdout.write(f"Deadline reminders sent: {sent}")
