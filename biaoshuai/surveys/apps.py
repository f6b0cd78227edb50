from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "biaoshuai.surveys"
    verbose_name = _("Questionnaires")

    def ready(self):
        from . import exports, metrics  # noqa: F401  (exports: its export builder)
