"""Registry contributions: the token pages in the system administrator's navigation."""

from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import is_sysadmin
from biaoshuai.core.registry import NavItem, registry

registry.register(
    NavItem(
        "api.tokens",
        _("API tokens"),
        "api_tokens:token_list",
        is_sysadmin,
        "key",
        45,
        group="system",
    )
)
