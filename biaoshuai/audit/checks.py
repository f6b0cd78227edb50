"""Start-up checks for the audit log's settings."""

from django.conf import settings
from django.core.checks import Error, register

from .archive import MIN_RETENTION_DAYS


@register()
def retention_check(app_configs, **kwargs):
    if settings.AUDIT_RETENTION_DAYS < MIN_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}; audit records are "
                f"kept at least {MIN_RETENTION_DAYS} days.",
                id="audit.E001",
            )
        ]
    return []
