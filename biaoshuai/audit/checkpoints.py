"""Signed checkpoints of the chain's head, kept outside the database.

A checkpoint is one JSON line appended to AUDIT_CHECKPOINT_FILE (and, with
AUDIT_CHECKPOINT_SYSLOG, sent to syslog): the time, the last event's id and hash, the
number of events in the chain up to it, the signing key's id and an HMAC-SM3 signature.
The operator archives the file or the syslog stream. Whoever can rewrite the database but
not those copies cannot hide events removed from the end of the log: `audit_verify`
compares the latest checkpoint with the database.

`checkpoint_write` is what `manage.py audit_checkpoint` and the `audit_checkpoint_task`
task run; schedule one of them (hourly, say).
"""

import json
import logging
import logging.handlers
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from biaoshuai.core.crypto import hmac_sm3

from . import keys
from .chain import ChainBreak
from .models import AuditEvent, lock_all_streams

UNREADABLE = "the latest checkpoint in {path} cannot be read"
BAD_SIGNATURE = "the latest checkpoint's signature does not match: the checkpoint file was altered"
UNKNOWN_KEY = "the latest checkpoint is signed with key {key_id}, which is not configured"
EVENT_MISSING = (
    "event #{pk} of the latest checkpoint ({at}) is missing: events were removed from the end"
)
BEFORE_BOUNDARY = (
    "the latest checkpoint ({at}) points before the archive boundary; "
    "write a new checkpoint after archiving"
)
HASH_CHANGED = "event #{pk} no longer has the hash the latest checkpoint ({at}) recorded"
COUNT_CHANGED = (
    "the latest checkpoint ({at}) counted {expected} events up to #{pk}; "
    "the chain now has {found}: events were removed or inserted"
)
EMPTIED = "the latest checkpoint ({at}) counted {expected} events; the log is now empty"

logger = logging.getLogger("biaoshuai.audit.checkpoint")


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def checkpoint_write(*, key=None):
    """Append a signed checkpoint of the current head; returns it as a dict."""
    key = key or keys.signing_key()
    with transaction.atomic():
        # The head locks make the last event, its hash and the count one consistent reading.
        lock_all_streams()
        last = AuditEvent.objects.order_by("-id").first()
        kept = AuditEvent.objects.filter(pk__lte=last.pk).count() if last else 0
        offset = AuditEvent.objects.chain_start()["offset"]
    point = {
        "at": timezone.now().isoformat(),
        "event_id": last.pk if last else None,
        "hash": last.hash if last else None,
        "count": kept + offset,
        "key_id": keys.key_id(key),
    }
    point["signature"] = _sign(key, point)
    line = json.dumps(point, ensure_ascii=False, sort_keys=True)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())
    if settings.AUDIT_CHECKPOINT_SYSLOG:
        _to_syslog(line)
    return point


def checkpoint_latest():
    """The last checkpoint in the file as a dict, None when there is none yet.

    Raises ValueError when the last line is not a checkpoint.
    """
    path = checkpoint_path()
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return None
    point = json.loads(lines[-1])
    if not isinstance(point, dict):
        raise ValueError(lines[-1])
    return point


def checkpoint_verify():
    """None when there is no checkpoint or the latest one matches the database, else a break."""
    try:
        point = checkpoint_latest()
    except ValueError:
        return ChainBreak(UNREADABLE.format(path=checkpoint_path()), kind="checkpoint")
    if point is None:
        return None
    key = keys.keyring().get(point.get("key_id"))
    if key is None:
        return ChainBreak(UNKNOWN_KEY.format(key_id=point.get("key_id")), kind="checkpoint")
    if _sign(key, point) != point.get("signature"):
        return ChainBreak(BAD_SIGNATURE, kind="checkpoint")
    at, pk, expected = point["at"], point["event_id"], point["count"]
    start = AuditEvent.objects.chain_start()
    if pk is None:
        found = AuditEvent.objects.count() + start["offset"]
        return (
            ChainBreak(EMPTIED.format(at=at, expected=expected), kind="checkpoint")
            if found < expected
            else None
        )
    event = AuditEvent.objects.filter(pk=pk).first()
    if event is None:
        message = BEFORE_BOUNDARY if pk <= (start["after"] or 0) else EVENT_MISSING
        return ChainBreak(message.format(pk=pk, at=at), pk, kind="checkpoint")
    if event.hash != point["hash"]:
        return ChainBreak(HASH_CHANGED.format(pk=pk, at=at), pk, kind="checkpoint")
    found = AuditEvent.objects.filter(pk__lte=pk).count() + start["offset"]
    if found != expected:
        return ChainBreak(
            COUNT_CHANGED.format(pk=pk, at=at, expected=expected, found=found),
            pk,
            kind="checkpoint",
        )
    return None


def _sign(key, point):
    fields = {name: point.get(name) for name in ("at", "event_id", "hash", "count", "key_id")}
    return hmac_sm3(key, json.dumps(fields, sort_keys=True).encode())


def _to_syslog(line):
    address = settings.AUDIT_CHECKPOINT_SYSLOG_ADDRESS
    if ":" in address:
        host, port = address.rsplit(":", 1)
        handler = logging.handlers.SysLogHandler(address=(host, int(port)))
    else:
        handler = logging.handlers.SysLogHandler(address=address)
    handler.setFormatter(logging.Formatter("biaoshuai-audit: %(message)s"))
    try:
        handler.emit(logging.LogRecord(logger.name, logging.INFO, __file__, 0, line, None, None))
    finally:
        handler.close()
