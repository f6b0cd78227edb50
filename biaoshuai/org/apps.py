from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "biaoshuai.org"
    verbose_name = _("Units and cadres")

    def ready(self):
        from . import checks, exports, metrics  # noqa: F401
