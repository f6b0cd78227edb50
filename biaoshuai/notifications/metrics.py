"""What the notifications app contributes to the registry: the inbox in the menu."""

from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import is_campaign_user
from biaoshuai.core.registry import NavItem, registry

registry.register(
    NavItem(
        "notifications.inbox", _("My notices"), "notifications:inbox", is_campaign_user, "bell", 64
    )
)
