from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "biaoshuai.campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from . import metrics  # noqa: F401
