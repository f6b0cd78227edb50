from django.shortcuts import render
from django.views.decorators.http import require_GET

from biaoshuai.core.registry import registry


@require_GET
def home(request):
    """The portal's front page: the sections other apps registered, in order."""
    sections = sorted(registry.portal_sections.values(), key=lambda s: s.order)
    return render(request, "portal/home.html", {"sections": sections})
