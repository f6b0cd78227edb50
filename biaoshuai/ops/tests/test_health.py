"""/healthz and /readyz, for load balancers: alive, and able to do real work."""

import json
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biaoshuai.core.testing import login

from .helpers import PYTHON, ROOT, child_env, free_port

# A Django test client in a child process with its own settings, as a node would run.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
answers = {}
for path in ("/healthz", "/readyz"):
    response = client.get(path)
    answers[path] = [response.status_code, json.loads(response.content)]
print(json.dumps(answers))
"""


def _probe(**env):
    result = subprocess.run(
        [PYTHON, "-c", PROBE],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_without_touching_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_part_when_all_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "cache",
        "tasks",
    }
    assert body["checks"]["database"]["detail"] == connection.vendor


@pytest.mark.django_db
def test_probes_pass_every_middleware_for_anyone(client, users, settings):
    """No login, no current campaign, no pending password change blocks them."""
    users.office.must_change_password = True
    users.office.save(update_fields=["must_change_password"])
    login(client, users.office)
    for path in ("/healthz", "/readyz"):
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 403  # answered over HTTP, not redirected
    assert client.get("/portal/").status_code == 301


def test_with_postgresql_down_readyz_says_so_and_healthz_stays_up():
    closed = free_port()
    answers = _probe(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/biaoshuai")
    assert answers["/healthz"] == [200, {"status": "ok"}]
    status, body = answers["/readyz"]
    assert status == 503 and body["status"] == "unavailable"
    database = body["checks"]["database"]
    assert database["ok"] is False and "OperationalError" in database["error"]
    assert str(closed) in database["error"]
    assert body["checks"]["tasks"]["ok"] is False  # the task table is in that database
    assert body["checks"]["cache"]["ok"] is True


def test_with_the_sqlite_file_unreachable_readyz_fails(tmp_path):
    missing = tmp_path / "no-such-folder" / "db.sqlite3"
    answers = _probe(DATABASE_URL=f"sqlite:///{missing}")
    assert answers["/healthz"][0] == 200
    status, body = answers["/readyz"]
    assert status == 503 and body["checks"]["database"]["ok"] is False


def test_with_redis_down_readyz_fails_on_the_cache(tmp_path):
    closed = free_port()
    answers = _probe(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{closed}/0",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    status, body = answers["/readyz"]
    assert status == 503
    assert (
        body["checks"]["cache"]["ok"] is False and "Connection" in body["checks"]["cache"]["error"]
    )
    assert body["checks"]["database"]["ok"] is True
