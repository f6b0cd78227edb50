"""Deployment checks (`manage.py check --deploy`) for ENVIRONMENT=production."""

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Keys read by core.crypto.load_key: unset, each is derived from SECRET_KEY.
KEYS = ("AUDIT_KEY", "PII_KEY", "PII_INDEX_KEY")


@register(Tags.security, deploy=True)
def keys_configured(app_configs, **kwargs):
    if settings.ENVIRONMENT != "production":
        return []
    missing = [
        name
        for name in KEYS
        if not os.environ.get(name, "").strip() and not os.environ.get(f"{name}_FILE", "").strip()
    ]
    if not missing:
        return []
    return [
        Warning(
            f"{', '.join(missing)} not set: derived from SECRET_KEY.",
            hint="Set each key (64 hex digits) or <NAME>_FILE before the first start; see "
            "deploy/production.env.example.",
            id="ops.W001",
        )
    ]
