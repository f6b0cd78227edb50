"""Someone with full database access but without the audit key cannot forge the log.

Each test steps round the append-only trigger as a database administrator could, changes
or removes events, and rewrites every later hash with the model's own code, only without
the key: `audit_verify` still fails. Removing events from the end, which leaves a valid
chain, is caught by the signed checkpoint kept outside the database.
"""

import hashlib
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from biaoshuai.audit import keys
from biaoshuai.audit.chain import canonical
from biaoshuai.audit.checkpoints import checkpoint_write
from biaoshuai.audit.models import AuditEvent, AuditHead
from biaoshuai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_event_append_only"


def record(n, actor=None):
    return [
        audit_record(
            actor=actor, action="update", object_type="org.unit", changes={"n": [i, i + 1]}
        )
        for i in range(n)
    ]


def drop_trigger():
    """What a database administrator can do: drop the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # DROP TRIGGER waits for no deferred foreign-key checks; run them now. The test's
            # transaction is rolled back afterwards, which brings the trigger back.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON {TABLE}")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")


def rechain(compute, *, after_pk=None):
    """Rewrite every event's link and hash from the start with `compute(event)`, as a forger
    would after changing or removing events, and point the head at the new last hash."""
    prev = AuditEvent.objects.order_by("id").first().prev_hash
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("id"):
            if after_pk is not None and event.pk < after_pk:
                prev = event.hash
                continue
            event.prev_hash = prev
            event.hash = compute(event)
            cursor.execute(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
                [event.prev_hash, event.hash, event.pk],
            )
            prev = event.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


FORGERIES = {
    # The model's own signing code, with a key the forger made up.
    "another key": lambda event: event.compute_hash(os.urandom(32)),
    # The old scheme: a plain SHA-256 of the row.
    "plain SHA-256": lambda event: hashlib.sha256(canonical(event.as_record())).hexdigest(),
}


def test_an_untouched_chain_with_the_right_key_verifies(users, capsys):
    record(3, users.office)
    checkpoint_write()
    assert audit_verify() is None
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_an_altered_event_with_recomputed_hashes_fails(users, forge):
    events = record(4, users.office)
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["edited", events[1].pk])
    rechain(forge, after_pk=events[1].pk)
    broken = audit_verify()
    assert broken is not None and broken.pk == events[1].pk and broken.kind == "altered"
    with pytest.raises(CommandError, match=f"event #{events[1].pk}"):
        call_command("audit_verify")


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_deleted_event_with_recomputed_hashes_fails(users, forge):
    events = record(4, users.office)
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    rechain(forge, after_pk=events[2].pk)
    broken = audit_verify()
    assert broken is not None and broken.pk == events[2].pk


def test_the_forger_cannot_pass_off_another_key_as_the_key_in_force(users):
    events = record(3, users.office)
    forged_key = os.urandom(32)
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET key_id = %s WHERE id >= %s",
            [keys.key_id(forged_key), events[1].pk],
        )
    rechain(lambda event: event.compute_hash(forged_key), after_pk=events[1].pk)
    broken = audit_verify()
    assert broken.pk == events[1].pk and broken.kind == "key"


def test_events_removed_from_the_end_are_caught_by_the_checkpoint(users, checkpoint_file):
    events = record(3, users.office)
    checkpoint_write()
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id >= %s", [events[1].pk])
    # The remaining chain is valid and the head is put back in line with it.
    AuditHead.objects.filter(pk=1).update(last_hash=events[0].hash)
    assert audit_verify(checkpoint=False) is None
    broken = audit_verify()
    assert broken.kind == "checkpoint" and "removed from the end" in broken.reason
    with pytest.raises(CommandError, match="removed from the end"):
        call_command("audit_verify")


def test_a_chain_rewritten_with_the_key_is_still_caught_by_the_checkpoint(users):
    """Even a forger who holds the key cannot change what a checkpoint already covers."""
    events = record(3, users.office)
    checkpoint_write()
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["edited", events[0].pk])
    key = keys.signing_key()
    rechain(lambda event: event.compute_hash(key), after_pk=events[0].pk)
    assert audit_verify(checkpoint=False) is None
    broken = audit_verify()
    assert broken.kind == "checkpoint" and "no longer has the hash" in broken.reason


def test_events_after_the_checkpoint_are_fine(users, capsys):
    record(2, users.office)
    checkpoint_write()
    record(2, users.office)
    assert audit_verify() is None
    call_command("audit_verify")
    assert "the latest checkpoint matches" in capsys.readouterr().out


def test_an_altered_checkpoint_is_refused(users, checkpoint_file):
    record(3, users.office)
    checkpoint_write()
    point = json.loads(checkpoint_file.read_text().splitlines()[-1])
    point["count"] -= 1
    with checkpoint_file.open("a") as out:
        out.write(json.dumps(point) + "\n")
    broken = audit_verify()
    assert broken.kind == "checkpoint" and "signature" in broken.reason
    checkpoint_file.write_text("not json\n")
    assert "cannot be read" in audit_verify().reason


def test_a_checkpoint_line_holds_what_it_says(users, checkpoint_file, capsys):
    events = record(2, users.office)
    call_command("audit_checkpoint")
    assert f"event #{events[-1].pk}" in capsys.readouterr().out
    point = json.loads(checkpoint_file.read_text().splitlines()[-1])
    assert point["event_id"] == events[-1].pk and point["hash"] == events[-1].hash
    assert point["count"] == AuditEvent.objects.count()
    assert point["key_id"] == keys.key_id(keys.signing_key())
    assert set(point) == {"at", "event_id", "hash", "count", "key_id", "signature"}


def test_without_a_checkpoint_verify_warns(users, capsys):
    record(1, users.office)
    call_command("audit_verify")
    assert "No checkpoint yet" in capsys.readouterr().err
    with pytest.raises(CommandError, match="No checkpoint"):
        call_command("audit_verify", require_checkpoint=True)


def test_the_checkpoint_task_writes_a_checkpoint(users, checkpoint_file):
    from biaoshuai.audit.tasks import audit_checkpoint_task

    record(1, users.office)
    result = audit_checkpoint_task.call()
    assert result["event_id"] == AuditEvent.objects.latest("id").pk
    assert len(checkpoint_file.read_text().splitlines()) == 1


def test_checkpoints_can_also_go_to_syslog(users, settings, checkpoint_file):
    import socket

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    settings.AUDIT_CHECKPOINT_SYSLOG = True
    settings.AUDIT_CHECKPOINT_SYSLOG_ADDRESS = f"127.0.0.1:{server.getsockname()[1]}"
    try:
        point = checkpoint_write()
        message = server.recv(4096).decode()
    finally:
        server.close()
    assert "biaoshuai-audit:" in message and point["signature"] in message
