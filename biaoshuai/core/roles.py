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
