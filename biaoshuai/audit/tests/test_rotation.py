"""Rotating the audit key: the old key vouches for the new one, and both verify the chain."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from biaoshuai.audit import keys
from biaoshuai.audit.chain import ROTATE_VERB
from biaoshuai.audit.checkpoints import checkpoint_latest
from biaoshuai.audit.models import AuditEvent
from biaoshuai.audit.services import audit_key_rotate, audit_record, audit_verify

pytestmark = pytest.mark.django_db
K1, K2 = os.urandom(32).hex(), os.urandom(32).hex()


def record(n, actor):
    for i in range(n):
        audit_record(actor=actor, action="update", object_type="org.unit", changes={"i": [i, 0]})


def rotate(monkeypatch, new, previous):
    """Run the command with AUDIT_KEY_NEW, then restart as the operator would."""
    monkeypatch.setenv("AUDIT_KEY_NEW", new)
    call_command("audit_rotate_key")
    monkeypatch.delenv("AUDIT_KEY_NEW")
    monkeypatch.setenv("AUDIT_KEY", new)
    monkeypatch.setenv("AUDIT_KEY_PREVIOUS", ",".join(previous))


def test_a_rotated_chain_verifies_with_the_previous_keys(users, monkeypatch, capsys):
    record(2, users.office)  # signed with the key derived from SECRET_KEY
    rotate(monkeypatch, K1, [])
    assert f"to {keys.key_id(bytes.fromhex(K1))}" in capsys.readouterr().out
    record(2, users.office)
    rotate(monkeypatch, K2, [K1])
    record(2, users.office)
    assert audit_verify() is None
    rotations = AuditEvent.objects.filter(verb=ROTATE_VERB).order_by("id")
    assert [r.changes["to_key"] for r in rotations] == [
        keys.key_id(bytes.fromhex(K1)),
        keys.key_id(bytes.fromhex(K2)),
    ]
    assert AuditEvent.objects.latest("id").key_id == keys.key_id(bytes.fromhex(K2))
    # The rotation wrote a checkpoint signed with the new key.
    assert checkpoint_latest()["key_id"] == rotations.last().key_id

    monkeypatch.delenv("AUDIT_KEY_PREVIOUS")
    broken = audit_verify()
    assert broken.kind == "key" and "not configured" in broken.reason


def test_after_a_rotation_the_old_key_no_longer_signs(users, monkeypatch):
    monkeypatch.setenv("AUDIT_KEY_NEW", K1)
    call_command("audit_rotate_key")
    # A process still running with the old key writes an event after the rotation.
    audit_record(actor=users.office, action="update", object_type="org.unit")
    stale = AuditEvent.objects.latest("id")
    monkeypatch.setenv("AUDIT_KEY", K1)
    broken = audit_verify()
    assert broken.pk == stale.pk and "while key" in broken.reason


def test_a_key_change_without_a_rotation_fails(users, monkeypatch):
    record(1, users.office)
    monkeypatch.setenv("AUDIT_KEY", K1)
    record(1, users.office)
    broken = audit_verify()
    assert broken.pk == AuditEvent.objects.latest("id").pk and broken.kind == "key"


def test_a_forged_rotation_is_refused(users, monkeypatch):
    """A rotation event the old key did not vouch for does not move the chain to a new key."""
    record(1, users.office)
    forged = bytes.fromhex(K1)
    audit_key_rotate(new_key=forged)
    rotation = AuditEvent.objects.latest("id")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TRIGGER audit_event_append_only ON {AuditEvent._meta.db_table}")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
    rotation.changes["proof"] = "0" * 64
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET changes = %s, hash = %s WHERE id = %s",
            [
                AuditEvent._meta.get_field("changes").get_db_prep_save(
                    rotation.changes, connection
                ),
                rotation.compute_hash(forged),
                rotation.pk,
            ],
        )
    monkeypatch.setenv("AUDIT_KEY", K1)
    broken = audit_verify(checkpoint=False)
    assert broken.pk == rotation.pk and broken.kind == "key"


def test_the_rotation_needs_a_new_key_and_an_intact_chain(users, monkeypatch):
    monkeypatch.delenv("AUDIT_KEY_NEW", raising=False)
    monkeypatch.delenv("AUDIT_KEY_NEW_FILE", raising=False)
    with pytest.raises(CommandError, match="AUDIT_KEY_NEW"):
        call_command("audit_rotate_key")
    monkeypatch.setenv("AUDIT_KEY_NEW", keys.signing_key().hex())
    with pytest.raises(CommandError, match="the key in force"):
        call_command("audit_rotate_key")
    monkeypatch.setenv("AUDIT_KEY", K1)  # a key change without rotation breaks the chain
    record(1, users.office)
    monkeypatch.setenv("AUDIT_KEY_NEW", K2)
    with pytest.raises(CommandError, match="nothing was rotated"):
        call_command("audit_rotate_key")
    assert not AuditEvent.objects.filter(verb=ROTATE_VERB).exists()


def test_the_new_key_can_come_from_a_file(users, tmp_path, capsys):
    path = tmp_path / "new.key"
    path.write_text(K2 + "\n")
    call_command("audit_rotate_key", key_file=str(path))
    assert keys.key_id(bytes.fromhex(K2)) in capsys.readouterr().out


def test_previous_keys_come_from_a_file(monkeypatch, tmp_path, settings):
    path = tmp_path / "previous.keys"
    path.write_text(f"# retired 2026-11\n{K1}\n{K2}\n")
    monkeypatch.delenv("AUDIT_KEY_PREVIOUS", raising=False)
    monkeypatch.setenv("AUDIT_KEY_PREVIOUS_FILE", str(path))
    assert keys.previous_keys() == [bytes.fromhex(K1), bytes.fromhex(K2)]
