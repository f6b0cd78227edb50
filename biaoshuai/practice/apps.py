from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "biaoshuai.practice"
    verbose_name = _("Practice")

    def ready(self):
        from . import metrics

        metrics.register_portal_section()
