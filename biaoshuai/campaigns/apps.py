from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "biaoshuai.campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from biaoshuai.core.registry import registry

        from . import metrics  # noqa: F401
        from .selectors import presentation_for

        registry.presenter = presentation_for
