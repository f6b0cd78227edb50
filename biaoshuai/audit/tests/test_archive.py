"""Audit records are kept at least 180 days; older ones can be archived and then removed."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from biaoshuai.audit.archive import audit_archive, retention_days
from biaoshuai.audit.chain import PURGE_VERB
from biaoshuai.audit.checkpoints import checkpoint_latest
from biaoshuai.audit.checks import retention_check
from biaoshuai.audit.models import AppendOnlyError, AuditEvent, AuditHead
from biaoshuai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(*ymd):
    return datetime.datetime(*ymd, 10, 0, tzinfo=TZ)


def record_on(day, n):
    with time_machine.travel(day, tick=False):
        return [
            audit_record(actor=None, action="update", object_type="org.unit", note=f"{day:%F} {i}")
            for i in range(n)
        ]


@pytest.fixture
def history():
    """Events in January and March 2026 (old enough to remove) and on the pinned day."""
    return {
        "january": record_on(at(2026, 1, 5), 3),
        "march": record_on(at(2026, 3, 2), 2),
        "now": record_on(at(2026, 11, 18), 2),
    }


def test_the_archive_holds_the_events_before_the_day_and_verifies(history, tmp_path, capsys):
    output = tmp_path / "audit-2026-01.jsonl"
    call_command("audit_archive", before="2026-02-01", output=str(output))
    assert "3 events written" in capsys.readouterr().out
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [line["id"] for line in lines] == [e.pk for e in history["january"]]
    assert {"hash", "prev_hash", "key_id", "at", "changes"} <= set(lines[0])
    assert AuditEvent.objects.count() == 7  # nothing removed without --purge

    call_command("audit_verify", archive=str(output))
    assert "Archive intact: 3 events" in capsys.readouterr().out
    lines[1]["note"] = "edited"
    output.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with pytest.raises(CommandError, match=f"event #{lines[1]['id']}"):
        call_command("audit_verify", archive=str(output))


def test_purge_removes_archived_events_older_than_the_retention(history, tmp_path, capsys):
    output = tmp_path / "audit-q1.jsonl"
    call_command("audit_archive", before="2026-04-01", output=str(output), purge=True)
    assert "5 events older than 180 days removed" in capsys.readouterr().out
    remaining = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in remaining[:2]] == [e.pk for e in history["now"]]
    purge = remaining[-1]
    assert purge.verb == PURGE_VERB and purge.changes["purged"] == 5
    last_archived = json.loads(output.read_text().splitlines()[-1])
    assert purge.changes["boundary_hash"] == last_archived["hash"] == remaining[0].prev_hash
    # The chain kept in the database verifies from the boundary, and so does the archive.
    assert audit_verify() is None
    point = checkpoint_latest()
    assert point["event_id"] == purge.pk and point["count"] == 8
    call_command("audit_verify", archive=str(output))


def test_events_younger_than_the_retention_are_kept(tmp_path):
    record_on(at(2026, 1, 5), 2)
    september = record_on(at(2026, 9, 1), 1)  # 78 days before the pinned day
    record_on(at(2026, 11, 18), 1)
    result = audit_archive(before=at(2026, 10, 1), output=tmp_path / "a.jsonl", purge=True)
    assert result.exported == 3 and result.purged == 2
    assert AuditEvent.objects.filter(pk=september[0].pk).exists()
    assert audit_verify() is None


def test_a_longer_retention_keeps_more(history, tmp_path, settings):
    settings.AUDIT_RETENTION_DAYS = 300  # March is 261 days before the pinned day
    result = audit_archive(before=at(2026, 4, 1), output=tmp_path / "a.jsonl", purge=True)
    assert result.purged == 3
    assert AuditEvent.objects.filter(pk=history["march"][0].pk).exists()
    assert audit_verify() is None


def test_a_retention_below_180_days_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    assert [error.id for error in retention_check(None)] == ["audit.E001"]
    assert retention_days() == 180
    settings.AUDIT_RETENTION_DAYS = 180
    assert retention_check(None) == []


def test_purges_accumulate(tmp_path):
    record_on(at(2025, 1, 6), 2)
    record_on(at(2025, 3, 3), 2)
    with time_machine.travel(at(2025, 10, 8), tick=False):
        first = audit_archive(before=at(2025, 2, 1), output=tmp_path / "1.jsonl", purge=True)
    record_on(at(2026, 11, 18), 1)
    second = audit_archive(before=at(2026, 1, 1), output=tmp_path / "2.jsonl", purge=True)
    assert (first.purged, second.purged) == (2, 3)  # the second takes the first purge event
    purge = AuditEvent.objects.filter(verb=PURGE_VERB).get()
    assert purge.changes["chain_offset"] == 5
    assert audit_verify() is None
    assert checkpoint_latest()["count"] == 5 + AuditEvent.objects.count()


def test_removing_the_purge_record_is_detected(history, tmp_path):
    audit_archive(before=at(2026, 4, 1), output=tmp_path / "a.jsonl", purge=True)
    purge = AuditEvent.objects.get(verb=PURGE_VERB)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TRIGGER audit_event_append_only ON {AuditEvent._meta.db_table}")
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [purge.pk])
    AuditHead.objects.filter(pk=1).update(last_hash=purge.prev_hash)
    broken = audit_verify(checkpoint=False)
    assert broken.kind == "start" and broken.pk == history["now"][0].pk


def test_nothing_is_purged_from_a_broken_chain(history, tmp_path):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TRIGGER audit_event_append_only ON {AuditEvent._meta.db_table}")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET note = 'x' WHERE id = %s",
            [history["now"][0].pk],
        )
    with pytest.raises(CommandError, match="nothing was removed"):
        call_command("audit_archive", before="2026-04-01", output=str(tmp_path / "a"), purge=True)
    assert AuditEvent.objects.count() == 7


def test_the_archive_command_wants_a_date(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit_archive", before="April", output=str(tmp_path / "a"))


def test_young_events_cannot_be_deleted(history):
    """PostgreSQL refuses in a trigger; SQLite keeps DELETE for the test flush, so there the
    application's refusal is what holds."""
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=history["now"][0].pk).delete()
        with pytest.raises(AppendOnlyError):
            history["now"][0].delete()
        assert AuditEvent.objects.filter(pk=history["now"][0].pk).exists()
        return

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [history["now"][0].pk]
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [history["january"][0].pk]
        )
        assert cursor.rowcount == 1
