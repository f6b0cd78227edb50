from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "biaoshuai.rectification"
    verbose_name = _("Rectification")

    def ready(self):
        from . import ledger, metrics  # noqa: F401  (ledger: its export builder)
