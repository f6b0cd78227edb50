"""Demo and production apart: the secret key, the deployment checks, the banner, the demo."""

import secrets
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from biaoshuai.core.testing import login
from biaoshuai.demo.management.commands.load_demo import PRODUCTION_REFUSED
from biaoshuai.ops.checks import keys_configured

from .helpers import PYTHON, ROOT, child_env, env_file

BANNER = 'data-testid="demo-banner"'


def _manage(*args, **env):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production(**overrides):
    """production.env.example as written, with the values an operator must fill in."""
    values = env_file()
    values.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_KEY=secrets.token_hex(32),
        PII_KEY=secrets.token_hex(16),
        PII_INDEX_KEY=secrets.token_hex(32),
    )
    values.update(overrides)
    return values


def test_the_example_with_real_keys_passes_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [
        "",
        "insecure-local-key-change-me-in-production-0123456789",
        "change-me-to-a-long-random-string",
    ],
    ids=["missing", "built-in", "env-example"],
)
def test_production_refuses_to_start_without_its_own_secret_key(secret_key):
    result = _manage("check", **_production(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Production needs its own SECRET_KEY" in result.stderr
    assert "生产环境必须设置自己的 SECRET_KEY" in result.stderr


def test_the_demo_runs_on_the_built_in_key():
    values = {k: v for k, v in _production().items() if k not in {"ENVIRONMENT", "SECRET_KEY"}}
    result = _manage("check", **values)
    assert result.returncode == 0, result.stderr


def test_an_unknown_environment_is_refused():
    result = _manage("check", ENVIRONMENT="staging")
    assert result.returncode != 0 and "ENVIRONMENT must be demo or production" in result.stderr


def test_production_warns_when_the_keys_are_derived(settings, monkeypatch):
    settings.ENVIRONMENT = "production"
    for name in ("AUDIT_KEY", "PII_KEY", "PII_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    monkeypatch.setenv("AUDIT_KEY", secrets.token_hex(32))
    [warning] = keys_configured(None)
    assert warning.id == "ops.W001" and warning.msg.startswith("PII_KEY, PII_INDEX_KEY not set")
    monkeypatch.setenv("PII_KEY", secrets.token_hex(16))
    monkeypatch.setenv("PII_INDEX_KEY_FILE", "/etc/biaoshuai/pii-index.key")
    assert keys_configured(None) == []
    settings.ENVIRONMENT = "demo"
    monkeypatch.delenv("PII_KEY")
    assert keys_configured(None) == []


@pytest.mark.django_db
def test_the_demo_shows_its_banner_on_every_kind_of_page(client, users):
    assert BANNER in client.get(reverse("accounts:login")).content.decode()
    assert BANNER in client.get(reverse("portal:home")).content.decode()
    login(client, users.office)
    page = client.get(reverse("core:home"), follow=True).content.decode()
    assert BANNER in page and "演示环境" in page


@pytest.mark.django_db
def test_production_shows_no_banner(client, users, settings):
    settings.ENVIRONMENT = "production"
    settings.PORTAL_CACHE_SECONDS = 0  # not the demo's portal page, cached by another test
    assert BANNER not in client.get(reverse("accounts:login")).content.decode()
    assert BANNER not in client.get(reverse("portal:home")).content.decode()
    login(client, users.office)
    page = client.get(reverse("core:home"), follow=True).content.decode()
    assert BANNER not in page and "演示环境" not in page


@pytest.mark.django_db
def test_load_demo_refuses_to_run_in_production(settings):
    from biaoshuai.accounts.models import User

    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError) as refused:
        call_command("load_demo")
    assert str(refused.value) == PRODUCTION_REFUSED
    assert not User.objects.exists()


def test_log_format_json_writes_one_json_object_a_line():
    import json

    code = "import logging; logging.getLogger('biaoshuai.test').warning('日志 %s', 'ok')"
    result = _manage("shell", "-c", code, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "日志 ok"
    assert (record["level"], record["logger"]) == ("WARNING", "biaoshuai.test")
    assert "time" in record
    text = _manage("shell", "-c", code, LOG_FORMAT="text")
    assert text.stderr.strip().splitlines()[-1] == "WARNING biaoshuai.test: 日志 ok"
