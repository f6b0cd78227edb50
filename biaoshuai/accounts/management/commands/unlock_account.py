"""Break-glass: lift an account's lockout from the server, when nobody can log in to unlock it."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from biaoshuai.accounts.services import account_unlock


class Command(BaseCommand):
    help = (
        "Lift the lockouts (at every address) and the login delay of an account at once. "
        "Recorded in the audit log with the operator's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the locked account")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="the security administrator on whose behalf the command is run",
        )

    def handle(self, *args, username, by=None, **options):
        actor = None
        if by:
            actor = get_user_model().objects.filter(username=by, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account {by!r}.")
        cleared = account_unlock(
            username=username,
            by=actor,
            via=f"manage.py unlock_account, OS user {_os_user()}",
        )
        self.stdout.write(
            self.style.SUCCESS(f"{username}: unlocked ({cleared} failure records cleared).")
        )


def _os_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
