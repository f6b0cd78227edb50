"""Writing to the audit log. Every service that changes data calls `audit_record`."""

from django.db import models, transaction
from django.utils import timezone

from .context import current_client_ip
from .models import GENESIS_HASH, AuditEvent, AuditHead


def audit_record(
    *,
    actor,
    action,
    obj=None,
    object_type="",
    object_repr="",
    changes=None,
    note="",
    verb="",
    ip=None,
):
    """Append one event to the chain, in the caller's transaction.

    `ip` defaults to the address of the request being served, when there is one.
    """
    # Normalised as the database will return it, so the hash recomputes identically.
    ip = AuditEvent._meta.get_field("ip").to_python(ip or current_client_ip())
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
            action=action,
            verb=verb,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
            changes=_jsonable(changes or {}),
            note=note,
            ip=ip,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def changes_between(before, after, fields):
    """{field: [before, after]} for the fields whose value differs."""
    out = {}
    for name in fields:
        old, new = before.get(name), after.get(name)
        if old != new:
            out[name] = [old, new]
    return out


def snapshot(obj, fields):
    """The values of `fields` on `obj`, in a form the audit log can store."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        values[name] = _jsonable(value)
    return values


def audit_verify():
    """The first event whose hash or link does not match, or None when the chain is intact."""
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or event.compute_hash() != event.hash:
            return event
        prev = event.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return AuditEvent(pk=None, hash=head.last_hash)
    return None


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
