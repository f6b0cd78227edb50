from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "biaoshuai.assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import metrics  # noqa: F401  (registers navigation and the home panel)
        from .signals import record_written

        post_save.connect(record_written, dispatch_uid="assessment.record_written")
        post_delete.connect(record_written, dispatch_uid="assessment.record_deleted")
