from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "biaoshuai.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from biaoshuai.core.permissions import is_auditadmin, is_secadmin
        from biaoshuai.core.registry import HomePanel, NavItem, registry

        from . import signals  # noqa: F401
        from .panels import audit_panel, security_panel

        registry.register(
            NavItem(
                "account_security",
                _("Account security"),
                "accounts:account_security",
                visible=is_secadmin,
                icon="shield-lock",
                order=910,
                group="system",
            )
        )
        registry.register(
            HomePanel("account_security", "accounts/panels/security.html", security_panel, 900)
        )
        registry.register(
            NavItem(
                "login_log",
                _("Login log"),
                "accounts:login_log",
                visible=is_auditadmin,
                icon="box-arrow-in-right",
                order=905,
                group="system",
            )
        )
        # The audit administrator's block: the audit log's day and the failed logins.
        registry.register(HomePanel("audit", "accounts/panels/audit.html", audit_panel, order=900))
