"""The audit log is append-only and its hash chain shows tampering."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from biaoshuai.audit.models import AppendOnlyError, AuditEvent
from biaoshuai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_event_append_only"


def record_three(users):
    return [
        audit_record(
            actor=users.office, action="update", object_type="org.unit", changes={"n": [i, i + 1]}
        )
        for i in range(3)
    ]


def bypass_trigger(cursor):
    """Step round the database trigger, as someone with direct database access could."""
    if connection.vendor == "postgresql":
        # ALTER TABLE waits for no deferred foreign-key checks; run them now. The test's
        # transaction is rolled back afterwards, which re-enables the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    else:
        cursor.execute(f"DROP TRIGGER {TRIGGER}")


def test_an_untouched_chain_verifies(users, capsys):
    record_three(users)
    assert audit_verify() is None
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_a_tampered_row_is_found(users):
    events = record_three(users)
    with connection.cursor() as cursor:
        bypass_trigger(cursor)
        cursor.execute(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["edited", events[1].pk])
    assert audit_verify().pk == events[1].pk
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("audit_verify")


def test_a_deleted_middle_row_breaks_the_next_link(users):
    events = record_three(users)
    with connection.cursor() as cursor:
        bypass_trigger(cursor)
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    assert audit_verify().pk == events[2].pk


def test_a_deleted_last_row_is_found(users):
    events = record_three(users)
    with connection.cursor() as cursor:
        bypass_trigger(cursor)
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])
    broken = audit_verify()
    assert broken is not None and broken.pk is None
    with pytest.raises(CommandError, match="removed"):
        call_command("audit_verify")


def test_the_application_cannot_change_or_delete_events(users):
    event = record_three(users)[0]
    event.note = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="edited")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["note"])
    assert audit_verify() is None


def test_the_database_refuses_an_update(users):
    event = record_three(users)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = 'x' WHERE id = %s", [event.pk])


def test_a_raw_delete_is_refused_or_detected(users):
    """PostgreSQL's trigger refuses DELETE; SQLite keeps DELETE (Django flushes test
    databases with it), so there the chain check is what catches a removed event."""
    event = record_three(users)[0]
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
        assert audit_verify() is None
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
        broken = audit_verify()
        assert broken is not None and broken.pk != event.pk


def test_events_carry_the_client_address(client, users):
    from biaoshuai.accounts.services import password_set
    from biaoshuai.audit.context import bound_client_ip

    with bound_client_ip("192.168.10.7"):
        password_set(user=users.norole, password="Another-pass-9", by=users.norole)
    assert AuditEvent.objects.latest("id").ip == "192.168.10.7"
    assert audit_verify() is None
