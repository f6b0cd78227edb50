"""The daily e-mail digest for users who chose it: `manage.py notifications_digest`."""

from django.core.management.base import BaseCommand

from biaoshuai.notifications.services import digest_send


class Command(BaseCommand):
    help = "E-mail each user who chose the daily digest their unread notices."

    def handle(self, *args, **options):
        self.stdout.write(f"Digests sent: {digest_send()}")
