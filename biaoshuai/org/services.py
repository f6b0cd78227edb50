"""Writes for units, cadres and role assignments. Each one is audited."""

import secrets
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext_lazy

from biaoshuai.accounts.services import password_set, user_create
from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.core.roles import SYSTEM_ROLE_EXCLUSIVE, Role

from .imports import (
    PERSON_SHEET,
    UNIT_SHEET,
    ImportResult,
    PlannedUnit,
    RowError,
    roster_read,
)
from .models import Person, RoleAssignment, Unit

PERSON_HAS_LOGIN = gettext_lazy("This cadre already has a login.")
UNIT_UNDER_ITSELF = gettext_lazy("A unit cannot be moved under itself.")
ROLE_UNKNOWN = gettext_lazy("Choose one of the campaign roles.")

UNIT_FIELDS = ["name", "kind", "parent", "sort_order", "is_active"]
PERSON_FIELDS = [
    "unit",
    "name",
    "gender",
    "birth_date",
    "position",
    "phone",
    "email",
    "is_active",
    "user",
]


@transaction.atomic
def unit_create(*, by, name, kind, parent=None, sort_order=0):
    """A new unit under `parent` (None: a root), with its materialized path."""
    unit = Unit(name=name, kind=kind, parent=parent, sort_order=sort_order)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = unit.make_path()
    unit.depth = unit.path.count("/") - 1
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=by,
        action="create",
        obj=unit,
        changes=changes_between({}, snapshot(unit, UNIT_FIELDS), UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def unit_update(*, unit, by, **fields):
    """Change a unit; a new parent moves its whole subtree (paths rewritten in one query)."""
    before = snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=["path"])
    if unit.parent_id and old_path and unit.parent.path.startswith(old_path):
        raise ValidationError({"parent": UNIT_UNDER_ITSELF})
    unit.path = unit.make_path()
    unit.depth = unit.path.count("/") - 1
    unit.save(update_fields=[*fields, "path", "depth", "updated_at"])
    if unit.path != old_path:
        Unit.objects.filter(path__subtree=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr(F("path"), Length(Value(old_path)) + 1)),
            depth=F("depth") + (unit.depth - old_path.count("/") + 1),
        )
    changes = changes_between(before, snapshot(unit, UNIT_FIELDS), UNIT_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=unit, changes=changes)
    return unit


@transaction.atomic
def person_create(*, by, unit, name, **fields):
    """A new cadre in `unit`."""
    person = Person(unit=unit, name=name, **fields)
    person.full_clean()
    person.save()
    audit_record(
        actor=by,
        action="create",
        obj=person,
        changes=changes_between({}, snapshot(person, PERSON_FIELDS), PERSON_FIELDS),
    )
    return person


@transaction.atomic
def person_update(*, person, by, **fields):
    """Change a cadre's fields; only the changed ones are audited."""
    account = fields.get("user")
    if account is not None and account.system_role:
        raise ValidationError({"user": SYSTEM_ROLE_EXCLUSIVE})
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=[*fields, "updated_at"])
    changes = changes_between(before, snapshot(person, PERSON_FIELDS), PERSON_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=person, changes=changes)
    return person


@transaction.atomic
def role_assign(*, by, user, unit, role, title=""):
    """`user` holds `role` at `unit`. A system role's account holds no campaign role."""
    if user.system_role:
        raise ValidationError(SYSTEM_ROLE_EXCLUSIVE)
    if role not in Role.values:
        raise ValidationError({"role": ROLE_UNKNOWN})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title}
    )
    if created:
        audit_record(
            actor=by,
            action="create",
            obj=assignment,
            changes={"user": [None, user.pk], "unit": [None, unit.pk], "role": [None, role]},
        )
    return assignment


@transaction.atomic
def role_revoke(*, by, assignment):
    audit_record(
        actor=by,
        action="delete",
        obj=assignment,
        changes={
            "user": [assignment.user_id, None],
            "unit": [assignment.unit_id, None],
            "role": [assignment.role, None],
        },
    )
    assignment.delete()


def roster_import(*, file, by):
    """Import units and cadres from a roster workbook: every row is checked first, and any
    error means nothing is saved; otherwise everything is saved in one transaction."""
    plan = roster_read(file=file, by=by)
    result = ImportResult(errors=plan.errors)
    if plan.errors:
        return result
    try:
        with transaction.atomic():
            _roster_save(plan, result, by)
    except ValidationError as exc:
        # Checked above already; a row the model still refuses cancels the whole import.
        row = getattr(exc, "roster_row", None) or (0, "")
        result = ImportResult(
            errors=[RowError(row[1], row[0], "", "; ".join(exc.messages))],
        )
    return result


def _roster_save(plan, result, by):
    for planned in plan.units:
        parent = planned.parent.saved if isinstance(planned.parent, PlannedUnit) else planned.parent
        try:
            if planned.existing is not None:
                changes = {"kind": planned.kind}
                if planned.sort_order is not None:
                    changes["sort_order"] = planned.sort_order
                if any(getattr(planned.existing, k) != v for k, v in changes.items()):
                    unit_update(unit=planned.existing, by=by, **changes)
                    result.units_updated += 1
                planned.saved = planned.existing
            else:
                planned.saved = unit_create(
                    by=by,
                    name=planned.name,
                    kind=planned.kind,
                    parent=parent,
                    sort_order=planned.sort_order or 0,
                )
                result.units_created += 1
        except ValidationError as exc:
            exc.roster_row = (planned.row, UNIT_SHEET)
            raise
    for planned in plan.people:
        unit = planned.unit.saved if isinstance(planned.unit, PlannedUnit) else planned.unit
        try:
            if planned.existing is not None:
                person = planned.existing
                changes = {k: v for k, v in planned.fields.items() if getattr(person, k) != v}
                if changes:
                    person_update(person=person, by=by, **changes)
                    result.people_updated += 1
            else:
                fields = dict(planned.fields)
                person_create(by=by, unit=unit, name=fields.pop("name"), **fields)
                result.people_created += 1
        except ValidationError as exc:
            exc.roster_row = (planned.row, PERSON_SHEET)
            raise


@transaction.atomic
def person_login_create(*, by, person, username, role="", unit=None, title=""):
    """A login for an existing cadre, with a generated initial password to show once.

    Returns (user, password). The person must change the password at the first login.
    """
    if person.user_id is not None:
        raise ValidationError(PERSON_HAS_LOGIN)
    password = initial_password()
    user = user_create(
        username=username,
        password=password,
        by=by,
        name=person.name,
        email=person.email,
        initial=True,
    )
    person_update(person=person, by=by, user=user)
    if role and unit is not None:
        role_assign(by=by, user=user, unit=unit, role=role, title=title)
    return user, password


@transaction.atomic
def account_password_reset(*, by, user):
    """A new generated initial password (returned, to be shown once) that must be changed."""
    password = initial_password()
    password_set(user=user, password=password, by=by, initial=True)
    return password


def initial_password(length=14):
    """A random password with upper and lower case letters, digits and a symbol."""
    alphabet = string.ascii_letters + string.digits
    symbols = "#%+-=@"
    while True:
        chars = [secrets.choice(alphabet) for _ in range(length - 2)]
        chars += [secrets.choice(symbols), secrets.choice(string.digits)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if any(c.islower() for c in password) and any(c.isupper() for c in password):
            return password
