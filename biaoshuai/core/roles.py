"""The roles a user can hold; the scope mechanism reads them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Campaign roles, held per unit through org.RoleAssignment."""

    LEADER = "leader", _("Leader of the leading group")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader")
    MEMBER = "member", _("Leading group member")
    OFFICE = "office", _("Campaign office")
    LIAISON = "liaison", _("Liaison")
    CADRE = "cadre", _("Cadre")


class SystemRole(models.TextChoices):
    """三员分立: the three system roles, held by the account itself."""

    NONE = "", _("None")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITADMIN = "auditadmin", _("Audit administrator")


LEADING_GROUP = frozenset({Role.LEADER, Role.DEPUTY_LEADER, Role.MEMBER})

# 三员分立: an account holds at most one system role, and a system role holds nothing else.
SYSTEM_ROLE_EXCLUSIVE = _(
    "An account with a system role cannot also hold a campaign role or be linked to a cadre: "
    "the system, security and audit administrators each use an account of their own."
)
CAMPAIGN_ROLE_EXCLUSIVE = _(
    "This account holds campaign roles or is linked to a cadre, so it cannot be given a "
    "system role: the system, security and audit administrators each use an account of "
    "their own."
)
SYSTEM_ROLE_HELD = _(
    "This account already holds a system role; each of the three system roles uses an "
    "account of its own."
)
SYSTEM_ROLE_UNKNOWN = _("Choose one of the system roles.")
