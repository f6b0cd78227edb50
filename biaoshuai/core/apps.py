from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "biaoshuai.core"
    verbose_name = _("Core")

    def ready(self):
        from .registry import HomePanel, registry
        from .views import figures_panel

        registry.register(HomePanel("figures", "core/panels/figures.html", figures_panel, order=10))
