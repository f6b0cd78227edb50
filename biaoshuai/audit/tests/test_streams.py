"""Writers spread over several streams of the chain (PostgreSQL), so one open transaction
does not hold every other audited write up; the chain still verifies, and an event moved
from one stream to another or altered in a later stream is found.

SQLite has one writer at a time and writes one stream; it must still verify a chain of
several streams (a database restored from PostgreSQL's backup has one)."""

import threading

import pytest
from django.db import connection, connections, transaction

from biaoshuai.audit.models import AuditEvent, AuditHead, heads_create, stream_count
from biaoshuai.audit.services import audit_record, audit_verify

from .. import services
from .test_forgery import TABLE, drop_trigger

SEVERAL_WRITERS = connection.features.has_select_for_update_skip_locked


@pytest.fixture(autouse=True)
def heads(transactional_db):
    heads_create(stream_count())  # as migration 0004 does (a flush removed them)


def write(n=1, **changes):
    return audit_record(actor=None, action="update", object_type="org.unit", changes=changes)


@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_does_not_block_other_writers():
    if not SEVERAL_WRITERS:  # SQLite: one writer at a time, so one stream serves
        assert stream_count() == 1
        assert {write(who="a").stream, write(who="b").stream} == {1}
        assert audit_verify() is None
        return
    holding, release, other = threading.Event(), threading.Event(), {}

    def hold():
        try:
            with transaction.atomic():
                other["held"] = write(who="slow")
                holding.set()
                release.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(20)
        with transaction.atomic():
            mine = write(who="fast")  # would wait for the slow one with a single head
    finally:
        release.set()
        thread.join(20)
    assert mine.stream != other["held"].stream
    assert AuditHead.objects.count() >= 2
    assert audit_verify() is None


@pytest.mark.django_db(transaction=True)
def test_an_altered_event_in_a_later_stream_is_found(monkeypatch):
    done = {}
    if SEVERAL_WRITERS:
        _write_while_another_holds_a_stream(done)
    else:  # SQLite writes one stream: the later writes take the second head, as on PostgreSQL
        heads_create(2)
        write(who="slow")
        monkeypatch.setattr(services, "_lock_stream", lambda: AuditHead.objects.get(pk=2))
        done["event"] = write(who="fast")
        write(who="fast again")
        monkeypatch.undo()

    event = done["event"]
    assert event.stream != 1 and audit_verify() is None
    with transaction.atomic():
        drop_trigger()
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET note = 'edited' WHERE id = %s", [event.pk])
        broken = audit_verify()
        assert broken is not None and broken.pk == event.pk
        with connection.cursor() as cursor:  # moved to the first stream: its links break
            cursor.execute(f"UPDATE {TABLE} SET note = '', stream = 1 WHERE id = %s", [event.pk])
        assert audit_verify() is not None
        transaction.set_rollback(True)
    assert AuditEvent.objects.filter(stream=event.stream).count() == 2


def _write_while_another_holds_a_stream(done):
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                write(who="slow")
                holding.set()
                release.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(20)
        done["event"] = write(who="fast")
        write(who="fast again")
    finally:
        release.set()
        thread.join(20)
