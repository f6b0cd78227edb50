"""Who is told: the holders of a role for a unit, found through RoleAssignment.

A unit's record reaches the role holders of that unit and of the units above it (whose
scope covers it), never those of a sibling or another branch.
"""

from biaoshuai.core.roles import LEADING_GROUP, Role
from biaoshuai.org.models import RoleAssignment


def role_holders(*, roles, unit=None, above=True):
    """Ids of active users holding one of `roles` in `unit` (and in the units above it,
    unless `above` is false); with no unit, every holder of those roles."""
    assignments = RoleAssignment.objects.filter(role__in=list(roles), user__is_active=True)
    if unit is not None:
        paths = ancestor_paths(unit.path) if above else [unit.path]
        assignments = assignments.filter(unit__path__in=paths)
    return list(assignments.values_list("user_id", flat=True).distinct().order_by("user_id"))


def liaisons_of(unit):
    return role_holders(roles=[Role.LIAISON], unit=unit)


def office():
    return role_holders(roles=[Role.OFFICE])


def leaders():
    """The head of the leading group (组长)."""
    return role_holders(roles=[Role.LEADER])


def leading_group():
    return role_holders(roles=LEADING_GROUP)


def liaisons_by_path(units):
    """{unit id: [liaison user ids]} for many units, in one query."""
    units = list(units)
    wanted = {p for unit in units for p in ancestor_paths(unit.path)}
    rows = list(
        RoleAssignment.objects.filter(
            role=Role.LIAISON, user__is_active=True, unit__path__in=wanted
        ).values_list("unit__path", "user_id")
    )
    return {
        unit.pk: sorted({user for path, user in rows if unit.path.startswith(path)})
        for unit in units
    }


def ancestor_paths(path):
    """ "0001/0002/" → ["0001/", "0001/0002/"]."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]
