from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "biaoshuai.api"
    verbose_name = _("API for integrators")

    def ready(self):
        from . import metrics  # noqa: F401
