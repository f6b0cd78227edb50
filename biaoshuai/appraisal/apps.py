from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "biaoshuai.appraisal"
    verbose_name = _("Self-check and appraisal")

    def ready(self):
        from . import metrics  # noqa: F401
