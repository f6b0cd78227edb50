"""Writing to the audit log. Every service that changes data calls `audit_record`.

Also here: verifying the chain, rotating its key. Checkpoints are in `checkpoints`, the
archive and purge in `archive`.
"""

import random

from django.db import models, transaction
from django.utils import timezone

from . import keys
from .chain import GENESIS_HASH, ROTATE_VERB, ChainBreak, rotation_proof, verify_records
from .checkpoints import checkpoint_verify, checkpoint_write
from .context import current_client_ip
from .models import AuditEvent, AuditHead, heads_create, lock_all_streams, stream_count

HEAD_MISMATCH = "the chain head does not match the last event: events were removed from the end"
START_MISMATCH = (
    "the first event does not follow the genesis or the last archive boundary: "
    "events were removed from the start"
)
ROTATION_BROKEN = "the chain does not verify with the keys in force; nothing was rotated: {reason}"
SAME_KEY = "the new key is the key in force"


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
    return _append(
        key=keys.signing_key(),
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_repr=object_repr,
        changes=changes,
        note=note,
        verb=verb,
        ip=ip,
    )


def _append(*, key, actor, action, obj, object_type, object_repr, changes, note, verb, ip):
    # Normalised as the database will return it, so the hash recomputes identically.
    ip = AuditEvent._meta.get_field("ip").to_python(ip or current_client_ip())
    # No savepoint of its own: if writing the event fails, the caller's transaction fails.
    with transaction.atomic(savepoint=False):
        head = _lock_stream()
        if callable(changes):  # needs the previous hash, known only under the lock
            changes = changes(head.last_hash)
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
            key_id=keys.key_id(key),
            stream=head.pk,
        )
        event.hash = event.compute_hash(key)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def _lock_stream():
    """Lock and return a stream head no other transaction holds (the first free one), or
    wait for one at random when all are taken."""
    streams = stream_count()
    if streams == 1:
        return AuditHead.objects.select_for_update().get_or_create(pk=1)[0]
    heads = AuditHead.objects.filter(pk__lte=streams)
    free = heads.select_for_update(skip_locked=True).order_by("pk")
    head = free.first()
    if head is None:
        heads_create(streams)  # the first time, or after AUDIT_STREAMS grew
        head = free.first()
    if head is not None:
        return head
    return heads.select_for_update().get(pk=random.randint(1, streams))  # noqa: S311


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
        if getattr(field, "encrypted", False):  # personal data: masked, never in full
            value = field.audit_value(value)
        values[name] = _jsonable(value)
    return values


def audit_verify(*, checkpoint=True):
    """None when the chain is intact, else a `ChainBreak` saying where and why.

    Checks every event's link and HMAC-SM3 signature with the configured keys, that the
    chain starts at the genesis or at the last archive boundary, that the head row matches
    the last event, and (with `checkpoint`) that the latest signed checkpoint kept outside
    the database still matches: that is what finds events removed from the end.
    """
    events = AuditEvent.objects.order_by("id")
    start = chain_start()
    firsts = events.order_by().values("stream").annotate(first=models.Min("id"))
    for first in AuditEvent.objects.filter(pk__in=[row["first"] for row in firsts]).order_by("id"):
        expected = start["prev_hash"].get(first.stream, GENESIS_HASH)
        if first.prev_hash != expected or first.pk <= start["after"]:
            return ChainBreak(START_MISMATCH, first.pk, first.at.isoformat(), "start")
    heads = {}
    broken, _last_hash, _key_id, _count = verify_records(
        (event.as_record() for event in events.iterator(chunk_size=2000)),
        keys=keys.keyring(),
        prev_hash=start["prev_hash"],
        heads=heads,
    )
    if broken is not None:
        return broken
    for head in AuditHead.objects.all():
        expected = heads.get(head.pk, start["prev_hash"].get(head.pk, GENESIS_HASH))
        if head.last_hash != expected:
            return ChainBreak(HEAD_MISMATCH, kind="head")
    return checkpoint_verify() if checkpoint else None


def chain_start():
    """Where the chain kept in the database begins (see `AuditEventQuerySet.chain_start`)."""
    return AuditEvent.objects.chain_start()


def audit_key_rotate(*, new_key, by=None):
    """Move the chain to `new_key`: verify everything with the keys in force, then append a
    rotation event signed with the new key, which the old key vouches for, and a checkpoint.

    From then on AUDIT_KEY must be the new key and the old one goes to AUDIT_KEY_PREVIOUS.
    Returns the rotation event.
    """
    old_key = keys.signing_key()
    old_id, new_id = keys.key_id(old_key), keys.key_id(new_key)
    if old_id == new_id:
        raise ValueError(SAME_KEY)
    with transaction.atomic():
        lock_all_streams()
        broken = audit_verify()
        if broken is not None:
            raise ValueError(ROTATION_BROKEN.format(reason=broken))
        event = _append(
            key=new_key,
            actor=by,
            action=AuditEvent.Action.OTHER,
            obj=None,
            object_type="audit.auditevent",
            object_repr="",
            changes=lambda prev_hash: {
                "from_key": old_id,
                "to_key": new_id,
                "proof": rotation_proof(old_key, new_key_id=new_id, prev_hash=prev_hash),
            },
            note="",
            verb=ROTATE_VERB,
            ip=None,
        )
    checkpoint_write(key=new_key)
    return event


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
