"""Retry the webhook deliveries that are due (for task backends that cannot defer a task).

* * * * * cd /srv/biaoshuai && .venv/bin/python manage.py api_webhooks_retry
"""

from django.core.management.base import BaseCommand

from biaoshuai.opinions.intake import webhook_retry_due


class Command(BaseCommand):
    help = "Attempt the pending webhook deliveries whose next attempt is due."

    def handle(self, *args, **options):
        done = [d for d in webhook_retry_due() if d is not None]
        delivered = sum(d.state == "delivered" for d in done)
        self.stdout.write(f"attempted {len(done)}, delivered {delivered}")
