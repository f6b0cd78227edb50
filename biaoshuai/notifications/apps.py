from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The inbox every app writes to through `notify()`, e-mail, digests and reminders."""

    name = "biaoshuai.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import metrics  # noqa: F401
