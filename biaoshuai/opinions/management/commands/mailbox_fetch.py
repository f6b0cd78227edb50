"""Read the opinion mailbox (IMAP_* settings) once. For cron, e.g. every 5 minutes:

*/5 * * * * cd /srv/biaoshuai && .venv/bin/python manage.py mailbox_fetch
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from biaoshuai.opinions.mailbox import mailbox_fetch


class Command(BaseCommand):
    help = "Turn new messages of the opinion mailbox into opinions (IMAP_HOST must be set)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="Messages per run at most")

    def handle(self, *args, limit, **options):
        if not settings.IMAP_HOST:
            raise CommandError("IMAP_HOST is not set: the mailbox channel is off.")
        result = mailbox_fetch(limit=limit)
        self.stdout.write(
            f"created {result.created}, already taken in {result.skipped}, failed {result.failed}"
        )
