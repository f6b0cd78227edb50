"""The audit chain's arithmetic: how an event is signed and how a run of events verifies.

Each event's hash is HMAC-SM3(key, canonical JSON of the event including the previous
event's hash and the id of the signing key). Without the key nobody can recompute the
hashes after changing or removing an event, not even someone with full database access.

Writers append to one of a few streams (`stream`, one `AuditHead` row each), so concurrent
writers on PostgreSQL do not wait for one another: each event links to the previous event
of its own stream. Verification walks every event in id order and keeps one running hash
per stream; the key in force is one for all streams (a rotation locks every stream).

The functions here work on records (plain dicts, `AuditEvent.as_record()`), so a chain read
from the database and a chain read back from an archive file verify the same way.
"""

import json
from dataclasses import dataclass

from biaoshuai.core.crypto import hmac_sm3

GENESIS_HASH = "0" * 64
ROTATE_VERB = "audit_key_rotate"
PURGE_VERB = "audit_purge"
# The fields a hash covers; `id` and `hash` itself are not among them.
SIGNED_FIELDS = (
    "at",
    "actor",
    "actor_name",
    "action",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "note",
    "ip",
    "key_id",
    "prev_hash",
)


@dataclass
class ChainBreak:
    """Where and why verification failed. `pk` is None when no single event is to blame."""

    reason: str
    pk: int | None = None
    at: str = ""
    # link, altered, key, start, head or checkpoint: which message the verify page shows
    kind: str = "altered"

    def __str__(self):
        where = f"event #{self.pk}: " if self.pk is not None else ""
        return f"{where}{self.reason}"


def canonical(record: dict) -> bytes:
    payload = {name: record.get(name) for name in SIGNED_FIELDS}
    stream = record.get("stream") or 1
    if stream != 1:  # signed when not the first stream (older events all belong to it)
        payload["stream"] = stream
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()


def sign(key: bytes, record: dict) -> str:
    return hmac_sm3(key, canonical(record))


def rotation_proof(old_key: bytes, *, new_key_id: str, prev_hash: str) -> str:
    """The old key's word that the chain moves on to `new_key_id` after `prev_hash`."""
    return hmac_sm3(old_key, f"{ROTATE_VERB}:{new_key_id}:{prev_hash}".encode())


def verify_records(records, *, keys, prev_hash=GENESIS_HASH, key_id=None, heads=None):
    """Check a run of records in id order.

    Returns (break or None, last hash, key id in force, number of records seen). A record
    must link to the one before it in its stream, be signed by a known key, and be signed
    by the key in force: the key changes only at a rotation event that the previous key
    vouches for.

    `prev_hash` is what the first record of each stream links to: one hash for every
    stream, a dict {stream: hash} (streams not in it start at the genesis), or None to
    take each stream's first record as its start (an archive file). `heads`, a dict when
    given, receives the last hash of each stream seen.
    """
    heads = {} if heads is None else heads
    last_hash = prev_hash if isinstance(prev_hash, str) else GENESIS_HASH
    count = 0
    for record in records:
        count += 1
        pk = record.get("id")
        at = str(record.get("at") or "")
        stream = record.get("stream") or 1
        if stream in heads:
            expected = heads[stream]
        elif prev_hash is None:
            expected = record.get("prev_hash")
        elif isinstance(prev_hash, dict):
            expected = prev_hash.get(stream, GENESIS_HASH)
        else:
            expected = prev_hash
        if record.get("prev_hash") != expected:
            return ChainBreak(LINK_BROKEN, pk, at, "link"), last_hash, key_id, count
        key = keys.get(record.get("key_id"))
        if key is None:
            reason = UNKNOWN_KEY.format(key_id=record.get("key_id") or "?")
            return ChainBreak(reason, pk, at, "key"), last_hash, key_id, count
        if key_id is not None and record["key_id"] != key_id:
            if not _is_valid_rotation(record, keys=keys, from_key_id=key_id):
                reason = WRONG_KEY.format(key_id=record["key_id"], expected=key_id)
                return ChainBreak(reason, pk, at, "key"), last_hash, key_id, count
        if sign(key, record) != record.get("hash"):
            return ChainBreak(ALTERED, pk, at), last_hash, key_id, count
        heads[stream] = last_hash = record["hash"]
        key_id = record["key_id"]
    return None, last_hash, key_id, count


def _is_valid_rotation(record, *, keys, from_key_id):
    changes = record.get("changes") or {}
    old_key = keys.get(from_key_id)
    return (
        record.get("verb") == ROTATE_VERB
        and old_key is not None
        and changes.get("from_key") == from_key_id
        and changes.get("to_key") == record["key_id"]
        and changes.get("proof")
        == rotation_proof(old_key, new_key_id=record["key_id"], prev_hash=record["prev_hash"])
    )


LINK_BROKEN = "it does not link to the event before it (an event was removed or altered)"
ALTERED = "its signature does not match: it, or the chain before it, was altered"
UNKNOWN_KEY = "signed with key {key_id}, which is not configured (AUDIT_KEY, AUDIT_KEY_PREVIOUS)"
WRONG_KEY = "signed with key {key_id} while key {expected} was in force, with no rotation"
