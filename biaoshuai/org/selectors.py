"""Reads for units, cadres, role assignments and accounts, always within the user's scope."""

from bisect import bisect_left

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from biaoshuai.core.roles import Role
from biaoshuai.core.scope import MANAGE, VIEW, roles_of, scope_for, unit_admin_action

from .models import Person, RoleAssignment, Unit


def units_visible_to(*, user, action=VIEW, kind="", q="", counts=True):
    """The units in the user's scope in tree order, each with `cadre_count` (its own cadres
    in post) and `subtree_count` (with those of every unit below), in one query.

    With `counts=False` the units come without the counts (two correlated subqueries a
    unit): a page of them gets its counts with `units_count_cadres`, one GROUP BY."""
    units = Unit.objects.restrict(user, unit_admin_action(user, action))
    if counts:
        units = units.annotate(cadre_count=_own_count(), subtree_count=_subtree_count())
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(name__icontains=q)
    return units.select_related("parent").order_by("path")


def units_count_cadres(units):
    """Set `cadre_count` and `subtree_count` on each of `units` (a list) from one query:
    the cadres in post of every unit under them, grouped by unit path, summed by range
    (paths hold only digits and "/", so a subtree sorts between `path` and `path + "~"`)."""
    units = list(units)
    if not units:
        return units
    roots = []
    for path in sorted({unit.path for unit in units}):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    within = Q()
    for path in roots:
        within |= Q(unit__path__subtree=path)
    rows = sorted(
        Person.objects.filter(within, is_active=True)
        .order_by()
        .values_list("unit__path")
        .annotate(n=Count("pk"))
    )
    paths = [path for path, _n in rows]
    sums = [0]
    for _path, n in rows:
        sums.append(sums[-1] + n)
    own = dict(rows)
    for unit in units:
        start, end = bisect_left(paths, unit.path), bisect_left(paths, unit.path + "~")
        unit.cadre_count = own.get(unit.path, 0)
        unit.subtree_count = sums[end] - sums[start]
    return units


def unit_choices(*, user, action=MANAGE):
    """Units offered in a form: only those in the user's scope for `action`, in tree order."""
    action = unit_admin_action(user, action)
    return Unit.objects.restrict(user, action).filter(is_active=True).order_by("path")


def unit_children(*, unit):
    return (
        unit.children.annotate(cadre_count=_own_count(), subtree_count=_subtree_count())
        .order_by("sort_order", "path")
        .all()
    )


def unit_role_holders(*, unit):
    return (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("user", "user__person")
        .order_by("role", "user__username")
    )


def unit_cadre_counts(*, unit_ids):
    """{unit_id: cadres in post in the unit and its subtree}, in one query."""
    rows = (
        Unit.objects.filter(pk__in=list(unit_ids))
        .annotate(subtree_count=_subtree_count())
        .values_list("pk", "subtree_count")
    )
    return dict(rows)


def unit_subtree_sizes(*, unit_ids):
    """{unit_id: active units in the unit's subtree, itself included}, in one query."""
    sizes = _count(Unit.objects.filter(is_active=True, path__subtree=OuterRef("path")))
    rows = Unit.objects.filter(pk__in=list(unit_ids)).annotate(size=sizes).values_list("pk", "size")
    return dict(rows)


def liaison_units(*, user):
    """The units where the user is liaison, with their cadre counts."""
    paths = [path for role, path in roles_of(user) if role == Role.LIAISON]
    if not paths:
        return Unit.objects.none()
    return (
        Unit.objects.filter(path__in=paths)
        .annotate(cadre_count=_own_count(), subtree_count=_subtree_count())
        .order_by("path")
    )


def people_visible_to(*, user, action=VIEW, q="", unit=None, include_subunits=True):
    """Cadres in the user's scope; `unit` narrows to that unit (and its sub-units)."""
    people = Person.objects.restrict(user, action).select_related("unit", "user")
    if unit is not None:
        if include_subunits:
            people = people.filter(unit__path__subtree=unit.path)
        else:
            people = people.filter(unit=unit)
    if q:
        people = people.filter(Q(name__icontains=q) | Q(position__icontains=q))
    return people.order_by("unit__path", "name", "id")


def person_roles(*, person):
    if person.user_id is None:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user_id=person.user_id).select_related("unit")


def phone_visible(*, user, person):
    """Whether `user` sees the cadre's full number: only those who manage the cadre's unit."""
    return scope_for(user, MANAGE).covers(person.unit)


def phone_for(*, user, person):
    if not person.phone:
        return ""
    return person.phone if phone_visible(user=user, person=person) else person.masked_phone


def accounts_list(*, q=""):
    """Every login with its person and role assignments (prefetched, so a page is 3 queries)."""
    users = (
        get_user_model()
        .objects.select_related("person", "person__unit")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("unit").order_by("unit__path"),
            )
        )
        .order_by("username")
    )
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(name__icontains=q) | Q(person__name__icontains=q)
        )
    return users


def account_detail(*, pk):
    return (
        get_user_model()
        .objects.select_related("person", "person__unit")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("unit").order_by("unit__path"),
            )
        )
        .get(pk=pk)
    )


def people_without_login(*, user):
    """Cadres a login can be created for. The system administrator picks among every unit's
    cadres here (name and unit only), without reading the roster itself."""
    return (
        Person.objects.restrict(user, unit_admin_action(user, MANAGE))
        .filter(user__isnull=True, is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def _own_count():
    """Cadres in post in the outer unit itself, as a correlated subquery (no GROUP BY)."""
    return _count(Person.objects.filter(is_active=True, unit=OuterRef("pk")))


def _subtree_count():
    """Cadres in post in the outer unit's subtree, as a correlated subquery."""
    return _count(Person.objects.filter(is_active=True, unit__path__subtree=OuterRef("path")))


def _count(queryset):
    counts = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)
