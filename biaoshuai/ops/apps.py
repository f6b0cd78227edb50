from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: health and metrics, scheduling, backup and restore."""

    name = "biaoshuai.ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
