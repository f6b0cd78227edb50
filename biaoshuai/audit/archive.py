"""Archiving the audit log, and removing what was archived once it is old enough.

`audit_archive` writes the events before a date to a JSON-lines file, one event a line
with its hash, previous hash and key id, so the file verifies on its own
(`manage.py audit_verify --archive FILE`). With `purge` it then deletes the archived
events that are older than the retention period (AUDIT_RETENTION_DAYS, never less than
180 days) and appends a purge event that records the boundary: the hash of the last
removed event, so the chain kept in the database still verifies from there.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from biaoshuai.core.crypto import SM3

from . import keys
from .chain import GENESIS_HASH, PURGE_VERB, verify_records
from .checkpoints import checkpoint_write
from .models import AuditEvent
from .services import _append, audit_verify, chain_start, lock_all_streams

MIN_RETENTION_DAYS = 180
PURGE_REFUSED = "the chain does not verify, so nothing was removed: {reason}"
TOO_YOUNG = "audit events younger than {days} days cannot be deleted"


@dataclass
class ArchiveResult:
    exported: int
    first_id: int | None
    last_id: int | None
    purged: int = 0
    purge_event: AuditEvent | None = None


def retention_days():
    return max(int(settings.AUDIT_RETENTION_DAYS), MIN_RETENTION_DAYS)


def retention_cutoff():
    """Events at or after this moment must be kept."""
    return timezone.now() - timedelta(days=retention_days())


def audit_archive(*, before, output, purge=False, by=None):
    """Write the events before `before` (an aware datetime) to `output`; with `purge`,
    delete those of them older than the retention period. Returns an ArchiveResult."""
    path = Path(output)
    result = _export(_events_before(before), path)
    if not purge or result.last_id is None:
        return result
    with transaction.atomic():
        lock_all_streams()
        broken = audit_verify()
        if broken is not None:
            raise ValueError(PURGE_REFUSED.format(reason=broken))
        through = _last_id_before(min(before, retention_cutoff()), upto=result.last_id)
        if through is None:
            return result
        result.purged, result.purge_event = _purge(through, archive=path, by=by)
    checkpoint_write()
    return result


def audit_delete_allowed(event):
    """Whether the retention period allows deleting `event` (it must be old enough)."""
    return event.at < retention_cutoff()


def archive_verify(path):
    """Verify an archive file: (break or None, number of events, first prev hash, last hash)."""
    with Path(path).open(encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        first = next(records, None)
        if first is None:
            return None, 0, GENESIS_HASH, GENESIS_HASH

        def chained():
            yield first
            yield from records

        broken, last_hash, _key, count = verify_records(
            chained(), keys=keys.keyring(), prev_hash=None
        )
    return broken, count, first["prev_hash"], last_hash


def _events_before(before):
    # A prefix of the chain: everything before the first event at or after `before`.
    upto = _last_id_before(before)
    if upto is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(pk__lte=upto).order_by("id")


def _last_id_before(moment, upto=None):
    first_kept = AuditEvent.objects.filter(at__gte=moment).order_by("id").first()
    events = AuditEvent.objects.all()
    if first_kept is not None:
        events = events.filter(pk__lt=first_kept.pk)
    if upto is not None:
        events = events.filter(pk__lte=upto)
    last = events.order_by("-id").first()
    return last.pk if last else None


def _export(events, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    result = ArchiveResult(exported=0, first_id=None, last_id=None)
    with path.open("w", encoding="utf-8") as out:
        for event in events.iterator(chunk_size=2000):
            out.write(json.dumps(event.as_record(), ensure_ascii=False, sort_keys=True) + "\n")
            result.exported += 1
            result.first_id = result.first_id or event.pk
            result.last_id = event.pk
    return result


def _purge(through, *, archive, by):
    boundary = AuditEvent.objects.get(pk=through)
    if not audit_delete_allowed(boundary):
        raise ValueError(TOO_YOUNG.format(days=retention_days()))
    start = chain_start()
    offset = start["offset"]
    # Each stream's first kept event links to the last purged one of that stream.
    boundaries = {str(stream): value for stream, value in start["prev_hash"].items()}
    lasts = (
        AuditEvent.objects.filter(pk__lte=through)
        .order_by()
        .values("stream")
        .annotate(last=models.Max("id"))
    )
    for event in AuditEvent.objects.filter(pk__in=[row["last"] for row in lasts]):
        boundaries[str(event.stream)] = event.hash
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        # The model and its queryset refuse deletes; this is the one place that may, and the
        # PostgreSQL trigger still refuses rows younger than 180 days.
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [through])  # noqa: S608
        purged = cursor.rowcount
    event = _append(
        key=keys.signing_key(),
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=None,
        object_type="audit.auditevent",
        object_repr=archive.name,
        changes={
            "purged_through": through,
            "boundary_hash": boundary.hash,
            "boundary_hashes": boundaries,
            "purged": purged,
            "chain_offset": offset + purged,
            "archive_sm3": _file_sm3(archive),
        },
        note="",
        verb=PURGE_VERB,
        ip=None,
    )
    return purged, event


def _file_sm3(path):
    digest = hashlib.new(SM3)
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
