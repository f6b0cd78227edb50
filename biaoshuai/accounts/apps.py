from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "biaoshuai.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from biaoshuai.core.permissions import is_secadmin
        from biaoshuai.core.registry import HomePanel, NavItem, registry

        from . import signals  # noqa: F401
        from .panels import security_panel

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
