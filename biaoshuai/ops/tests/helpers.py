"""Running manage.py and gunicorn in child processes, as an operator would."""

import os
import socket
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = ROOT / "deploy" / "production.env.example"


def env_file(path=PRODUCTION_ENV):
    """The KEY=value lines of an environment file, as systemd's EnvironmentFile reads them."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def child_env(**overrides):
    """This process's environment without the settings the tests or a .env may have set."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_", "SECURE_", "ENVIRONMENT", "DATABASE_URL"))
        and k not in {"REDIS_URL", "PROMETHEUS_MULTIPROC_DIR", "PYTEST_CURRENT_TEST"}
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        **overrides,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PYTHON = sys.executable
