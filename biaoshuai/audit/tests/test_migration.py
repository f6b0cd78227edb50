"""Upgrading a database whose chain was plain SHA-256: migration 0003 re-signs it."""

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from biaoshuai.audit.chain import GENESIS_HASH
from biaoshuai.audit.services import audit_record, audit_verify
from biaoshuai.core.testing import migrate_latest

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("audit", "0002_append_only_trigger")]
AFTER = [("audit", "0004_event_stream")]  # through 0003, which re-signs


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def legacy_events(apps, n, *, tamper=False):
    """Events as the previous release wrote them: a SHA-256 chain with no key."""
    AuditEvent, AuditHead = (
        apps.get_model("audit", "AuditEvent"),
        apps.get_model("audit", "AuditHead"),
    )
    prev = GENESIS_HASH
    for i in range(n):
        event = AuditEvent(
            at=timezone.now(), action="update", object_type="org.unit", changes={"i": [i, i + 1]}
        )
        payload = {
            "at": event.at.isoformat(),
            "actor": None,
            "actor_name": "",
            "action": "update",
            "verb": "",
            "object_type": "org.unit",
            "object_id": "",
            "object_repr": "",
            "changes": event.changes,
            "note": "edited" if tamper and i == 1 else "",
            "ip": None,
            "prev": prev,
        }
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        event.prev_hash, event.hash = prev, hashlib.sha256(raw.encode()).hexdigest()
        event.save()
        prev = event.hash
    AuditHead.objects.update_or_create(pk=1, defaults={"last_hash": prev})


def test_the_old_chain_is_verified_and_re_signed():
    try:
        legacy_events(migrate(BEFORE), 3)
        migrate(AFTER)
        assert audit_verify() is None
        audit_record(actor=None, action="update", object_type="org.unit")
        assert audit_verify() is None
    finally:
        migrate_latest()


def test_a_broken_old_chain_stops_the_migration():
    try:
        legacy_events(migrate(BEFORE), 3, tamper=True)
        with pytest.raises(RuntimeError, match="broken at event"):
            migrate(AFTER)
    finally:
        with connection.cursor() as cursor:  # the broken chain would stop the migration again
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE audit_auditevent, audit_audithead")
            else:
                cursor.execute("DELETE FROM audit_auditevent")
                cursor.execute("DELETE FROM audit_audithead")
        migrate_latest()
