from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .permissions import has_system_role
from .registry import registry


@login_required
@require_GET
def home(request):
    """Each registered panel decides what this user sees; the figures are within their scope.

    The three system roles see only the panels marked `for_system_roles` (三员分立).
    """
    system = has_system_role(request.user)
    panels = []
    for panel in registry.home_panels_for(request):
        if system and not getattr(panel.context, "for_system_roles", False):
            continue
        context = panel.context(request)
        if context is not None:
            panels.append((panel.template_name, context))
    return render(request, "core/home.html", {"panels": panels})


def figures_panel(request):
    """The registered metrics' figures within the user's scope, each linking to its records."""
    figures = []
    for metric in registry.home_metrics(request):
        value = metric.total(user=request.user, campaign=None)
        if value is not None:
            figures.append({"metric": metric, "value": value})
    return {"figures": figures} if figures else None
