"""`manage.py setup`: the first system administrator, never the demo."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from biaoshuai.accounts.services import user_create
from biaoshuai.core.roles import SystemRole
from biaoshuai.ops.management.commands import setup

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD = "Xian-Wei-2026!"


def _run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def typed(monkeypatch):
    """What the operator types: answers to input() and to getpass(), in order."""
    answers = {"input": [], "getpass": []}
    prompts = []

    def fake(kind):
        def answer(prompt=""):
            prompts.append(prompt)
            return answers[kind].pop(0)

        return answer

    monkeypatch.setattr("builtins.input", fake("input"))
    monkeypatch.setattr(setup.getpass, "getpass", fake("getpass"))
    answers["prompts"] = prompts
    return answers


def test_interactive_setup_creates_the_first_system_administrator(typed):
    typed["input"] += ["admin", "王管理"]
    typed["getpass"] += [GOOD, GOOD]
    out, _ = _run()
    admin = User.objects.get()
    assert (admin.username, admin.name, admin.system_role) == (
        "admin",
        "王管理",
        SystemRole.SYSADMIN,
    )
    assert admin.check_password(GOOD) and not admin.is_demo and not admin.must_change_password
    assert "System administrator admin created" in out
    assert sum("Password" in p for p in typed["prompts"]) == 2


def test_the_password_is_typed_twice_and_checked_by_the_validators(typed):
    typed["input"] += ["admin", ""]
    typed["getpass"] += [GOOD, GOOD + "x", "short", "short", "admin-2026-Pass", "admin-2026-Pass"]
    typed["getpass"] += [GOOD, GOOD]
    _, err = _run()
    assert setup.MISMATCH in err
    assert "至少" in err or "at least" in err  # too short
    assert "用户名" in err or "username" in err  # contains the username
    assert User.objects.get().check_password(GOOD)
    assert typed["getpass"] == []


def test_a_taken_username_is_asked_again(typed):
    user_create(username="office", password=GOOD, by=None)
    typed["input"] += ["office", "", "admin2"]
    typed["getpass"] += [GOOD, GOOD, GOOD, GOOD]
    _run()
    assert User.objects.get(system_role=SystemRole.SYSADMIN, username="admin2")


def test_without_input_the_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(setup.PASSWORD_ENV, GOOD)
    _run("--no-input", "--username", "root_admin", "--name", "李管理", "--email", "a@example.com")
    admin = User.objects.get()
    assert (admin.username, admin.email, admin.system_role) == (
        "root_admin",
        "a@example.com",
        SystemRole.SYSADMIN,
    )
    assert admin.check_password(GOOD)


def test_without_input_missing_or_weak_values_are_refused(monkeypatch):
    monkeypatch.delenv(setup.PASSWORD_ENV, raising=False)
    with pytest.raises(CommandError, match="needs --username"):
        _run("--no-input")
    with pytest.raises(CommandError, match=setup.PASSWORD_ENV):
        _run("--no-input", "--username", "admin")
    monkeypatch.setenv("OTHER_VAR", "12345678")
    with pytest.raises(CommandError):
        _run("--no-input", "--username", "admin", "--password-env", "OTHER_VAR")
    assert not User.objects.exists()


def test_once_an_administrator_exists_setup_does_nothing(monkeypatch, users):
    monkeypatch.setenv(setup.PASSWORD_ENV, GOOD)
    before = User.objects.count()
    out, _ = _run("--no-input", "--username", "another")
    assert out.strip() == setup.ADMIN_EXISTS.format(username="sysadmin")
    assert User.objects.count() == before


def test_setup_never_loads_the_demo_and_migrates_only_when_asked(monkeypatch):
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.org.models import Unit

    monkeypatch.setenv(setup.PASSWORD_ENV, GOOD)
    _run("--no-input", "--username", "admin", "--migrate")
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]
    assert not Unit.objects.exists() and not Campaign.objects.exists()


def test_setup_refuses_an_unmigrated_database(monkeypatch):
    monkeypatch.setattr(setup, "_unapplied_migrations", lambda: ["accounts.0099_future"])
    with pytest.raises(CommandError, match="unapplied migrations"):
        _run("--no-input", "--username", "admin")


def test_on_a_new_database_setup_migrates_and_creates_the_administrator(tmp_path):
    """As an operator would, in a child process: an empty database, `setup --migrate`."""
    import sqlite3
    import subprocess

    from .helpers import PYTHON, ROOT, child_env

    database = tmp_path / "new.sqlite3"
    result = subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "setup",
            "--migrate",
            "--no-input",
            "--username",
            "admin",
        ],
        cwd=ROOT,
        env=child_env(
            DATABASE_URL=f"sqlite:///{database}",
            ENVIRONMENT="production",
            SECRET_KEY="a-production-secret-key-for-this-test-only-0123456789-abcdefgh",
            **{setup.PASSWORD_ENV: GOOD},
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = sqlite3.connect(database).execute("SELECT username, system_role FROM accounts_user")
    assert rows.fetchall() == [("admin", "sysadmin")]
