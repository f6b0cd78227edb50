from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "biaoshuai.core"
    verbose_name = _("Core")

    def ready(self):
        from .registry import HomePanel, registry
        from .views import figures_panel, work_panel

        # The work queue comes first: on a phone it is the first screen.
        registry.register(HomePanel("work", "core/panels/work.html", work_panel, order=1))
        registry.register(HomePanel("figures", "core/panels/figures.html", figures_panel, order=10))
