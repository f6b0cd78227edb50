"""deploy/: the systemd units pass `systemd-analyze verify`; gunicorn with its configuration
comes back at once after its master is killed with -9; the Procfile names every process."""

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .helpers import ROOT, child_env, free_port

UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
INSTALL_DIR = "/opt/biaoshuai"
ENV_FILE = "/etc/biaoshuai/production.env"
METRICS_TOKEN = "token-for-the-gunicorn-test"


def test_the_units_are_there():
    names = {unit.name for unit in UNITS}
    assert {"biaoshuai-web.service", "biaoshuai-worker.service"} <= names


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_unit_passes_systemd_analyze_verify(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, (
        "systemd-analyze is missing: scripts/system-deps.sh installs it (Debian: systemd)"
    )
    # verify checks that the programs and files named exist: lay the installation out in a
    # temporary folder (the virtualenv is this one) and point the unit there.
    install = tmp_path / "opt"
    install.mkdir()
    for folder in ("media", "var"):
        (install / folder).mkdir()
    (install / ".venv").symlink_to(ROOT / ".venv")
    for name in ("manage.py", "deploy", "README.md", "config", "biaoshuai"):
        (install / name).symlink_to(ROOT / name)
    env_file = tmp_path / "production.env"
    env_file.write_text("ENVIRONMENT=production\n")
    text = unit.read_text().replace(INSTALL_DIR, str(install)).replace(ENV_FILE, str(env_file))
    assert str(install) in text and str(env_file) in text
    rendered = tmp_path / unit.name
    rendered.write_text(text)
    result = subprocess.run(
        [analyze, "verify", "--man=no", str(rendered)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify exits 0 after "ignoring" a line it cannot parse: any output is a failure too.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_unit_restarts_on_failure_and_is_hardened(unit):
    lines = {line.strip() for line in unit.read_text().splitlines()}
    for setting in (
        "Restart=on-failure",
        f"EnvironmentFile={ENV_FILE}",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
    ):
        assert setting in lines, f"{unit.name}: {setting}"
    assert any(line.startswith("ReadWritePaths=") for line in lines)


def test_procfile_names_web_worker_and_scheduler():
    entries = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert entries["web"].endswith("gunicorn config.wsgi --config deploy/gunicorn.conf.py")
    assert entries["worker"].endswith("manage.py db_worker")
    assert entries["scheduler"].endswith("manage.py scheduler")


def _gunicorn(port, log, database):
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--config",
            "deploy/gunicorn.conf.py",
        ],
        cwd=ROOT,
        env=child_env(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS="2",
            METRICS_TOKEN=METRICS_TOKEN,
            # An empty database: the probes and metrics must not need its tables.
            DATABASE_URL=f"sqlite:///{database}",
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _healthz(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return response.status


def _wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def test_gunicorn_serves_again_at_once_after_its_master_is_killed(tmp_path):
    port = free_port()
    started = []
    try:
        with open(tmp_path / "first.log", "wb") as log:
            first = _gunicorn(port, log, tmp_path / "db.sqlite3")
        started.append(first.pid)
        assert _wait_until(lambda: _healthz(port) == 200, 60), (tmp_path / "first.log").read_text()
        assert _wait_until(lambda: len(_children(first.pid)) == 2, 30)
        orphans = _children(first.pid)
        started.extend(orphans)

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        # Immediately, while the orphaned workers still hold the port.
        assert any(_alive(pid) for pid in orphans)
        with open(tmp_path / "second.log", "wb") as log:
            second = _gunicorn(port, log, tmp_path / "db.sqlite3")
        started.append(second.pid)

        assert _wait_until(lambda: len(_children(second.pid)) == 2, 60)
        # The orphans notice their master is gone and leave; the new master's workers serve.
        assert _wait_until(lambda: not any(_alive(pid) for pid in orphans), 60)
        assert _healthz(port) == 200
        assert second.poll() is None
        output = (tmp_path / "second.log").read_text()
        assert "Connection in use" not in output and "Listening at" in output

        # /metrics adds up what every worker of this master counted.
        for _ in range(9):
            assert _healthz(port) == 200
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/metrics",
            headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            metrics = response.read().decode()
        served = [
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith("biaoshuai_http_requests_total{")
            and 'view="ops:healthz"' in line
            and 'status="200"' in line
        ]
        assert sum(served) >= 10  # the 9 and the one before, in whichever worker
        assert "biaoshuai_task_table_up 0.0" in metrics  # no task table in that database
    finally:
        for pid in reversed(started):
            for child in _children(pid):
                _kill(child)
            _kill(pid)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
