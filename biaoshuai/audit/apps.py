from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "biaoshuai.audit"
    verbose_name = _("Audit")

    def ready(self):
        from biaoshuai.core.permissions import is_auditadmin
        from biaoshuai.core.registry import HomePanel, NavItem, registry

        from . import checks  # noqa: F401  (registers the retention check)
        from .panels import audit_panel

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
        registry.register(
            NavItem(
                "login_log",
                _("Login log"),
                "audit:login_log",
                visible=is_auditadmin,
                icon="box-arrow-in-right",
                order=905,
                group="system",
            )
        )
        registry.register(HomePanel("audit", "audit/panels/audit.html", audit_panel, order=900))
