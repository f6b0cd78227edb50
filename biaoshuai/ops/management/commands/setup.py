"""First-time set-up of a production instance: the first system administrator.

Interactive by default (username, name, password typed twice and checked by the password
validators, read with getpass so it is never echoed); with --no-input the values come from
the flags and the password from an environment variable, for automation. It never loads the
demo and migrates only with --migrate. Once a system administrator exists it does nothing.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from biaoshuai.accounts.services import user_create
from biaoshuai.core.roles import SystemRole

PASSWORD_ENV = "BIAOSHUAI_ADMIN_PASSWORD"
UNAPPLIED = (
    "The database has unapplied migrations: run `manage.py migrate` first, or add --migrate."
)
ADMIN_EXISTS = "A system administrator exists already ({username}); nothing to do."
NEEDS_USERNAME = "--no-input needs --username."
NEEDS_PASSWORD = "--no-input needs the password in the environment variable {var}."
MISMATCH = "The two passwords differ."
NO_TERMINAL = "Nothing to read the answers from: run it in a terminal, or use --no-input."


class Command(BaseCommand):
    help = (
        "Set up a new instance: create the first system administrator (interactively, or "
        "with --no-input from flags and an environment variable). Never loads the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--migrate", action="store_true", help="Apply the migrations first.")
        parser.add_argument("--username", help="The administrator's login name.")
        parser.add_argument("--name", default="", help="The administrator's full name.")
        parser.add_argument("--email", default="", help="The administrator's e-mail address.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: needs --username and the password in ${PASSWORD_ENV}.",
        )
        parser.add_argument(
            "--password-env",
            default=PASSWORD_ENV,
            help=f"The environment variable holding the password (default {PASSWORD_ENV}).",
        )

    def handle(self, *args, migrate, username, name, email, interactive, password_env, **opts):
        if migrate:
            call_command("migrate", interactive=False, verbosity=opts["verbosity"])
        elif _unapplied_migrations():
            raise CommandError(UNAPPLIED)
        existing = get_user_model().objects.filter(system_role=SystemRole.SYSADMIN).first()
        if existing is not None:
            self.stdout.write(ADMIN_EXISTS.format(username=existing.username))
            return
        if interactive:
            try:
                user = self._create_interactively(username=username, name=name, email=email)
            except EOFError as exc:
                raise CommandError(NO_TERMINAL) from exc
        else:
            user = self._create_from_flags(
                username=username, name=name, email=email, password_env=password_env
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"System administrator {user.username} created. Log in and set up two-factor "
                "authentication; then create the security and audit administrators."
            )
        )

    def _create_from_flags(self, *, username, name, email, password_env):
        if not username:
            raise CommandError(NEEDS_USERNAME)
        password = os.environ.get(password_env, "")
        if not password:
            raise CommandError(NEEDS_PASSWORD.format(var=password_env))
        try:
            return _create(username=username, name=name, email=email, password=password)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

    def _create_interactively(self, *, username, name, email):
        while not username:
            username = input("Username (登录名): ").strip()
        if not name:
            name = input("Full name (姓名, optional): ").strip()
        while True:
            password = getpass.getpass("Password (密码): ")
            if password != getpass.getpass("Password again (再次输入密码): "):
                self.stderr.write(MISMATCH)
                continue
            try:
                return _create(username=username, name=name, email=email, password=password)
            except ValidationError as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                if _username_problem(exc):
                    username = ""
                    while not username:
                        username = input("Username (登录名): ").strip()


def _create(*, username, name, email, password):
    """user_create checks the username, then the password with AUTH_PASSWORD_VALIDATORS."""
    return user_create(
        username=username,
        password=password,
        by=None,
        name=name,
        email=email,
        system_role=SystemRole.SYSADMIN,
        initial=False,
    )


def _username_problem(exc):
    return hasattr(exc, "error_dict") and "username" in exc.error_dict


def _unapplied_migrations():
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())
