from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "biaoshuai.publicity"
    verbose_name = _("Publicity")

    def ready(self):
        from . import metrics  # noqa: F401
