from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "biaoshuai.rectification"
    verbose_name = _("Rectification")

    def ready(self):
        from . import metrics  # noqa: F401
