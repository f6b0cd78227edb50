from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "biaoshuai.opinions"
    verbose_name = _("Opinions")

    def ready(self):
        from . import metrics  # noqa: F401
