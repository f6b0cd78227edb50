from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "biaoshuai.assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from . import metrics  # noqa: F401  (registers navigation and the home panel)
