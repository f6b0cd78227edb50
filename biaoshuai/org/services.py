"""Writes for units, cadres and role assignments. Each one is audited."""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr

from biaoshuai.audit.services import audit_record, changes_between, snapshot

from .models import Person, RoleAssignment, Unit

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
    if unit.parent_id and unit.parent.path.startswith(old_path):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"parent": _("A unit cannot be moved under itself.")})
    unit.path = unit.make_path()
    unit.depth = unit.path.count("/") - 1
    unit.save()
    if unit.path != old_path:
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr(F("path"), Length(Value(old_path)) + 1)),
            depth=F("depth") + (unit.depth - old_path.count("/") + 1),
        )
    changes = changes_between(before, snapshot(unit, UNIT_FIELDS), UNIT_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=unit, changes=changes)
    return unit


@transaction.atomic
def person_create(*, by, unit, name, **fields):
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
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    changes = changes_between(before, snapshot(person, PERSON_FIELDS), PERSON_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=person, changes=changes)
    return person


@transaction.atomic
def role_assign(*, by, user, unit, role, title=""):
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
