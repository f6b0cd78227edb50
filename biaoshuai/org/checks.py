"""三员分立 in the data: `manage.py check --database default` lists accounts that mix roles.

The services refuse the mix; this finds what was written around them (an old database,
a manual edit) so an operator can split the accounts.
"""

from django.contrib.auth import get_user_model
from django.core import checks
from django.db import connection
from django.db.models import Q

from .models import Person, RoleAssignment


def mixed_role_accounts():
    """Usernames of accounts holding a system role and a campaign role or a cadre link."""
    return list(
        get_user_model()
        .objects.exclude(system_role="")
        .filter(Q(role_assignments__isnull=False) | Q(person__isnull=False))
        .values_list("username", flat=True)
        .distinct()
        .order_by("username")
    )


@checks.register(checks.Tags.database)
def check_separation_of_duties(app_configs=None, databases=None, **kwargs):
    if not databases or not _tables_exist():
        return []  # a new database, before `migrate` (which runs this check) creates them
    mixed = mixed_role_accounts()
    if not mixed:
        return []
    return [
        checks.Error(
            "Accounts with a system role also hold a campaign role or a cadre link: "
            + ", ".join(mixed),
            hint="Revoke their campaign roles and cadre links, or give the system role to "
            "an account of its own (三员分立).",
            id="org.E001",
        )
    ]


def _tables_exist():
    needed = {get_user_model()._meta.db_table, Person._meta.db_table, RoleAssignment._meta.db_table}
    return needed <= set(connection.introspection.table_names())
