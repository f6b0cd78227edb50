from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "biaoshuai.supervision"
    verbose_name = _("Supervision and bulletins")

    def ready(self):
        from . import metrics  # noqa: F401
