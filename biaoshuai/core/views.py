from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .figures import figure_tiles
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
    """The registered metrics' figures within the user's scope as of today, each with its
    change since last month and the template's target, linking to its records."""
    from biaoshuai.campaigns.selectors import campaign_current

    campaign = campaign_current()
    tiles = figure_tiles(
        user=request.user, campaign=campaign, metrics=registry.home_metrics(request)
    )
    if not tiles:
        return None
    return {"figures": tiles, "period": tiles[0]["figure"].period}
