"""Key the audit chain: re-sign the existing events with HMAC-SM3 and AUDIT_KEY.

Until now each hash was a plain SHA-256 of the row, which anyone with database access
could recompute after changing a row. This migration first verifies the old SHA-256 chain
(and stops if it is broken: investigate before re-signing, or set AUDIT_RECHAIN_BROKEN=true
to re-sign it as it stands), then re-signs every event, in order, with the key configured
when it runs (AUDIT_KEY / AUDIT_KEY_FILE, else derived from SECRET_KEY).

It also lets PostgreSQL delete events older than 180 days (the shortest retention allowed),
for `manage.py audit_archive --purge`; everything else stays refused.
"""

import hashlib
import json
import os

from django.db import migrations, models

from biaoshuai.audit.chain import GENESIS_HASH, sign
from biaoshuai.audit.keys import key_id, signing_key

PG_FUNCTION = "audit_event_refuse_change"
TRIGGER = "audit_event_append_only"
BROKEN = (
    "The audit chain is broken {where}: it was altered before this upgrade. "
    "Investigate (manage.py audit_verify on the previous release), or set "
    "AUDIT_RECHAIN_BROKEN=true to re-sign the chain as it stands."
)


def rechain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    events = AuditEvent.objects.order_by("id")
    if os.environ.get("AUDIT_RECHAIN_BROKEN", "").lower() not in ("1", "true", "yes"):
        prev = GENESIS_HASH
        for event in events.iterator(chunk_size=2000):
            if event.prev_hash != prev or _sha256(event) != event.hash:
                raise RuntimeError(BROKEN.format(where=f"at event #{event.pk}"))
            prev = event.hash
        head = AuditHead.objects.filter(pk=1).first()
        if head is not None and head.last_hash != prev:
            raise RuntimeError(BROKEN.format(where="at its end (the head does not match)"))
    key = signing_key()
    _rewrite(apps, schema_editor, lambda event: _sign(key, event), key_id(key), _create_trigger)


def unchain(apps, schema_editor):
    _rewrite(apps, schema_editor, _sha256, "", _create_old_trigger)


def _rewrite(apps, schema_editor, compute, kid, create_trigger):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    _drop_trigger(schema_editor)
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.prev_hash, event.key_id = prev, kid
        event.hash = compute(event)
        event.save(update_fields=["prev_hash", "key_id", "hash"])
        prev = event.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)
    create_trigger(schema_editor)


def _record(event):
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "note": event.note,
        "ip": event.ip,
        "key_id": event.key_id,
        "prev_hash": event.prev_hash,
    }


def _sign(key, event):
    return sign(key, _record(event))


def _sha256(event):
    payload = _record(event)
    del payload["key_id"]
    payload["prev"] = payload.pop("prev_hash")
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _drop_trigger(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent;")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER};")


def _create_trigger(schema_editor, *, delete_after="180 days"):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        delete_rule = (
            f"IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{delete_after}' THEN "
            "RETURN OLD; END IF;"
            if delete_after
            else ""
        )
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
            BEGIN
                {delete_rule}
                RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
            END;
            $$ LANGUAGE plpgsql;
            """,
            params=None,  # the % above is PL/pgSQL's, not a query parameter
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON audit_auditevent "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON audit_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;"
        )


def _create_old_trigger(schema_editor):
    _create_trigger(schema_editor, delete_after="")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(rechain, unchain),
    ]
