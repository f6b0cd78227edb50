"""The challenge, the rate limits and the portal cache hold across several server processes.

Two real web servers (separate OS processes, each with its own per-process cache, as
gunicorn's workers or two machines are) share one database: on SQLite a file copy of the
test database, on PostgreSQL the test database itself.
"""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core import signing
from django.db import connection, connections

from biaoshuai.api.services import api_token_create
from biaoshuai.opinions.antiflood import SALT
from biaoshuai.opinions.models import Opinion
from biaoshuai.opinions.public_views import LOOKUPS_PER_HOUR
from biaoshuai.publicity import services
from biaoshuai.publicity.tests.conftest import article
from biaoshuai.surveys.models import Response
from biaoshuai.surveys.tests.factories import post_data, survey_with_questions

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
FORM = "/portal/opinions/"
TRACK = "/portal/opinions/track/"
NEWS = "/portal/publicity/news/"


@pytest.fixture
def news(org, users, campaign):
    return article(
        org.lishi,
        users.liaison_lishi,
        title="两进程共见的新闻",
        state="published",
        office=users.office,
    )


@pytest.fixture
def public_survey(campaign, org):
    return survey_with_questions(campaign=campaign, unit=org.department, audience="public")


@pytest.fixture
def servers(news, public_survey, tmp_path):
    """Two `runserver` processes on two ports over the same database."""
    with shared_database(tmp_path) as database_url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "DATABASE_URL": database_url,
            "OPINIONS_MIN_FILL_SECONDS": "0",
            "PORTAL_CACHE_SECONDS": "60",
            "SURVEYS_PUBLIC_PER_IP_PER_DAY": "2",
            "REDIS_URL": "",
        }
        ports = [_free_port(), _free_port()]
        processes = [
            subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks"]
                + ["--nothreading", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in ports
        ]
        try:
            urls = [f"http://127.0.0.1:{port}" for port in ports]
            for url in urls:
                _wait_for(url + NEWS)
            yield urls
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)


def test_a_form_sent_again_to_another_process_makes_no_second_opinion(servers):
    """The challenge is the form's one-time token: a resubmission, to whichever process,
    shows the first submission's tracking code instead of making another opinion."""
    a, b = requests.Session(), requests.Session()
    page = a.get(servers[0] + FORM).text
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    data = signing.loads(token, salt=SALT)
    answer = str(data["a"] + data["b"])

    first = _submit(a, servers[0], token, answer)
    assert first.status_code == 302
    code = _tracking_code(a, servers[0], first)
    replay_b = _submit(b, servers[1], token, answer)
    replay_a = _submit(a, servers[0], token, answer)
    assert (replay_b.status_code, replay_a.status_code) == (302, 302)
    assert _tracking_code(b, servers[1], replay_b) == code
    assert _tracking_code(a, servers[0], replay_a) == code
    assert in_thread(lambda: Opinion.objects.count()) == 1


def _tracking_code(session, url, response):
    page = session.get(url + response.headers["Location"]).text
    return page.split('data-testid="tracking-code">')[1].split("<")[0]


def test_a_rate_limit_counts_across_processes(servers):
    sessions = [requests.Session(), requests.Session()]
    for session, url in zip(sessions, servers, strict=True):
        session.get(url + TRACK)
    statuses = [
        _track(sessions[n % 2], servers[n % 2]).status_code for n in range(LOOKUPS_PER_HOUR)
    ]
    assert statuses == [404] * LOOKUPS_PER_HOUR  # unknown code, but looked up
    assert _track(sessions[0], servers[0]).status_code == 429
    assert _track(sessions[1], servers[1]).status_code == 429


def test_an_api_rate_limit_counts_across_processes(servers):
    _token, secret = in_thread(
        lambda: api_token_create(by=None, name="12345", scopes=["org:read"], rate_limit=3)[:2]
    )
    headers = {"Authorization": f"Bearer {secret}"}
    statuses = [
        requests.get(servers[n % 2] + "/api/v1/org/units", headers=headers).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_the_survey_cap_per_address_counts_across_processes(servers, public_survey):
    path = f"/portal/surveys/{public_survey.round.pk}/"
    statuses = []
    for url in [servers[0], servers[1], servers[0]]:  # three browsers, one address
        session = requests.Session()
        session.get(url + path)
        data = {**post_data(public_survey), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
        response = session.post(
            url + path, data=data, headers={"Referer": url + path}, allow_redirects=False
        )
        statuses.append(response.status_code)
    assert statuses[:2] == [302, 302] and statuses[2] != 302
    assert in_thread(lambda: Response.objects.filter(round=public_survey.round).count()) == 2


def test_a_withdrawn_item_leaves_every_process_at_once(servers, news, users):
    for url in servers * 2:  # the second round is served from each process's cache
        response = requests.get(url + NEWS)
        assert "两进程共见的新闻" in response.text
    assert response.headers.get("X-Portal-Cache") == "hit"

    in_thread(lambda: services.review_withdraw(obj=news, by=users.office, reason="撤回"))

    for url in servers:
        assert "两进程共见的新闻" not in requests.get(url + NEWS).text


def _submit(session, url, token, answer):
    csrf = session.cookies.get("csrftoken") or _csrf(session, url)
    data = {
        "content": "便民服务中心窗口中午无人值班。",
        "is_anonymous": "1",
        "challenge": token,
        "answer": answer,
        "website": "",
        "csrfmiddlewaretoken": csrf,
    }
    return session.post(
        url + FORM, data=data, headers={"Referer": url + FORM}, allow_redirects=False
    )


def _track(session, url):
    data = {"code": "ZZZZ-ZZZZ-ZZZZ", "csrfmiddlewaretoken": session.cookies.get("csrftoken")}
    return session.post(url + TRACK, data=data, headers={"Referer": url + TRACK})


def _csrf(session, url):
    session.get(url + FORM)
    return session.cookies.get("csrftoken")


@contextmanager
def shared_database(tmp_path):
    """A URL of the test database other processes can open (and new threads here use)."""
    settings_dict = connections.settings["default"]
    if connection.vendor != "sqlite":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        yield f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        settings_dict["NAME"] = name


def in_thread(function):
    """Run `function` in a new thread, whose connection opens the shared database."""
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


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=5)
            return
        except requests.ConnectionError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not start")
