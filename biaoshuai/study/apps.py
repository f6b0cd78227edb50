from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "biaoshuai.study"
    verbose_name = _("Study")

    def ready(self):
        from . import metrics  # noqa: F401
