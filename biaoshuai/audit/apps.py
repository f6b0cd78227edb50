from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "biaoshuai.audit"
    verbose_name = _("Audit")

    def ready(self):
        from biaoshuai.core.permissions import is_auditadmin
        from biaoshuai.core.registry import NavItem, registry

        from . import checks  # noqa: F401  (registers the retention check)

        registry.register(
            NavItem(
                "audit_log",
                _("Audit log"),
                "audit:event_list",
                visible=is_auditadmin,
                icon="journal-text",
                order=900,
                group="system",
            )
        )
