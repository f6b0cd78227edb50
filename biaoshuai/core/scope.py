"""The one scope mechanism: what a user may see or change, by unit subtree.

A user's scope is the union of the subtrees of the units where they hold a role
that grants the action, or every unit for the roles that see the whole campaign.
Every list, detail, form choice, export and API endpoint goes through
`Model.objects.restrict(user, action)`; what is out of scope answers 404.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.http import Http404

from . import lookups  # noqa: F401  (registers the `subtree` lookup)
from .campaign import campaign_q
from .roles import LEADING_GROUP, Role, SystemRole

VIEW = "view"
MANAGE = "manage"
# Keeping the unit tree, accounts, roles and API tokens: the system administrator's work,
# which reads no business record (三员分立). Only `Unit` and `RoleAssignment` pages use it.
ADMIN = "admin"

# Roles that reach every unit, per action.
_ALL_UNITS = {
    VIEW: LEADING_GROUP | {Role.OFFICE},
    MANAGE: frozenset({Role.OFFICE}),
    ADMIN: frozenset(),
}
# Roles that reach the subtree of the unit where they are held, per action.
_SUBTREE = {
    VIEW: frozenset({Role.LIAISON, Role.CADRE}),
    MANAGE: frozenset({Role.LIAISON}),
    ADMIN: frozenset(),
}
# 三员分立: the system administrator keeps units, accounts, roles and tokens (every unit, for
# ADMIN only); none of the three system roles reaches a business record, whatever the model.
_SYSTEM_ALL = {
    VIEW: frozenset(),
    MANAGE: frozenset(),
    ADMIN: frozenset({SystemRole.SYSADMIN}),
}


@dataclass(frozen=True)
class Scope:
    """Either every unit, or the subtrees rooted at `paths` (materialized unit paths)."""

    all: bool = False
    paths: tuple[str, ...] = ()

    @property
    def empty(self):
        return not self.all and not self.paths

    def q(self, path_lookup):
        """A Q object limiting `path_lookup` (e.g. "unit__path") to this scope."""
        if self.all:
            return models.Q()
        if not self.paths:
            return models.Q(pk__in=[])
        return reduce(or_, (models.Q(**{f"{path_lookup}__subtree": p}) for p in self.paths))

    def covers(self, unit):
        return self.all or any(unit.path.startswith(p) for p in self.paths)


def scope_for(user, action=VIEW):
    """The user's scope for `action`, computed once per request (cached on the user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    # getattr/setattr (not __dict__) so this also works through request.user's lazy wrapper.
    cache = getattr(user, "_scope_cache", None)
    if cache is None:
        cache = user._scope_cache = {}
    if action not in cache:
        cache[action] = _compute_scope(user, action)
    return cache[action]


def unit_admin_action(user, action=VIEW):
    """The action for the pages that keep the unit tree, accounts and roles.

    The system administrator works there with ADMIN (every unit, and no business record);
    everyone else with their campaign scope for `action`.
    """
    if (
        user is not None
        and user.is_authenticated
        and not user.is_superuser
        and getattr(user, "system_role", "") == SystemRole.SYSADMIN
    ):
        return ADMIN
    return action


def roles_of(user):
    """{(role, unit_path)} for the user's role assignments, loaded once per request."""
    if not user.is_authenticated or getattr(user, "system_role", ""):
        return ()  # 三员分立: a system role counts for no campaign role
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = user._role_cache = tuple(user.role_assignments.values_list("role", "unit__path"))
    return cached


def has_role(user, *roles):
    return any(role in roles for role, _ in roles_of(user))


def _compute_scope(user, action):
    if user.is_superuser:
        return Scope(all=True)
    system_role = getattr(user, "system_role", "")
    if system_role:
        # A system role holds no business role (services refuse the mix), and even a stray
        # assignment left from before must not open business records to it.
        return Scope(all=True) if system_role in _SYSTEM_ALL[action] else Scope()
    assignments = roles_of(user)
    if any(role in _ALL_UNITS[action] for role, _ in assignments):
        return Scope(all=True)
    paths = sorted({path for role, path in assignments if role in _SUBTREE[action]})
    # Drop paths already covered by an ancestor path, so the SQL stays short.
    kept = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return Scope(paths=tuple(kept))


class ScopedQuerySet(models.QuerySet):
    """QuerySet for every model that belongs to a unit.

    The model names the lookup to its unit's path in `scope_path` (default "unit__path"),
    and, when it belongs to a campaign, the lookup to it in `campaign_field` (e.g.
    "campaign" or "item__campaign"): then `restrict()` also keeps to the campaign the
    request works in (see core/campaign.py).
    """

    def restrict(self, user, action=VIEW):
        scope = scope_for(user, action)
        if scope.empty:
            return self.none()
        return self.in_campaign().filter(scope.q(getattr(self.model, "scope_path", "unit__path")))

    def in_campaign(self):
        """The rows of the active campaign (all rows when none is active or the model has
        no campaign)."""
        q = campaign_q(self.model)
        return self if q is None else self.filter(q)


def get_scoped_or_404(queryset, user, action=VIEW, **lookup):
    """Fetch and authorize in one step: "not yours" and "does not exist" look the same."""
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
