"""Retrying a push with the same Idempotency-Key never makes a second opinion, even when the
retries arrive at the same time (real threads, each with its own database connection)."""

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client

from biaoshuai.api.testing import auth, make_token
from biaoshuai.opinions.models import IdempotencyKey, Opinion, PushedOpinion

URL = "/api/v1/opinions"
BODY = {"content": "12345 热线转来：小区垃圾清运不及时", "external_id": "HL-2026-001"}


def _push(secret, body=BODY, key="key-1"):
    return Client().post(
        URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth(secret)
    )


def test_same_key_same_opinion(org, campaign):
    _, secret = make_token()
    first = _push(secret)
    again = _push(secret)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Opinion.objects.count() == 1
    # The tracking code is kept sealed, never in clear.
    stored = IdempotencyKey.objects.get()
    assert first.json()["tracking_code"].replace("-", "") not in str(stored.response)


def test_same_key_other_body_is_a_conflict(org, campaign):
    _, secret = make_token()
    assert _push(secret).status_code == 201
    response = _push(secret, {**BODY, "content": "另一件事"})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Opinion.objects.count() == 1


def test_keys_belong_to_their_token(org, campaign):
    _, one = make_token()
    _, two = make_token()
    assert _push(one).json()["id"] != _push(two).json()["id"]


def test_an_invalid_push_does_not_use_up_the_key(org, campaign):
    _, secret = make_token()
    assert _push(secret, {**BODY, "channel": "nope"}).status_code == 422
    assert _push(secret).status_code == 201
    assert IdempotencyKey.objects.count() == 1


@contextmanager
def threads_database(tmp_path):
    """The database the request threads use.

    PostgreSQL: the test database itself. SQLite: the in-memory test database shares one
    cache whose table locks fail at once instead of waiting, unlike a real SQLite file; so
    the threads get a file copy of it, used as in production (WAL, IMMEDIATE transactions,
    busy timeout).
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "threads.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connections.settings["default"]
    name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = name


def in_thread(function):
    """Run `function` in a new thread (with its own connection) and return its result."""
    out = []

    def run():
        try:
            out.append(function())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_opinion(org, campaign, tmp_path):
    """Eight simultaneous retries: one opinion, eight identical answers."""
    _, secret = make_token()
    with threads_database(tmp_path):
        answers = _retry_at_once(secret)
        counts = in_thread(lambda: (Opinion.objects.count(), PushedOpinion.objects.count()))
    assert len(answers) == 8
    assert {status for status, _ in answers} == {201}, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert len({body["tracking_code"] for _, body in answers}) == 1
    assert counts == (1, 1)


def _retry_at_once(secret):
    barrier = threading.Barrier(8)
    answers = []

    def retry():
        try:
            barrier.wait()
            response = _push(secret)
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_push_is_one_transaction_with_both_its_audit_events(org, campaign):
    """The key, the opinion, its audit event and the call's own audit event: one transaction
    (a savepoint in tests), no second write transaction after the response."""
    from django.test.utils import CaptureQueriesContext

    from biaoshuai.audit.models import AuditEvent
    from biaoshuai.audit.services import audit_verify

    _, secret = make_token()
    _push(secret, key="warm", body={**BODY, "external_id": "warm"})
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert _push(secret, key="one", body={**BODY, "external_id": "one"}).status_code == 201
    sql = [q["sql"] for q in queries.captured_queries]
    # The test's own transaction turns the push's into one savepoint, opened once.
    outer = [s for s in sql if s.startswith("SAVEPOINT")]
    released = [s for s in sql if s.startswith("RELEASE SAVEPOINT")]
    assert sql.index(outer[0]) < min(i for i, s in enumerate(sql) if "audit_auditevent" in s)
    assert released[-1] == sql[-1] and released[-1].endswith(outer[0].split()[-1])
    assert AuditEvent.objects.count() == before + 2
    assert {e.verb for e in AuditEvent.objects.order_by("-id")[:2]} == {"", "api_call"}
    assert len(sql) <= 22, "\n".join(sql)
    assert audit_verify(checkpoint=False) is None
