from django import template
from django.urls import NoReverseMatch, reverse

from biaoshuai.core.registry import registry

register = template.Library()


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context):
    """The portal's navigation: the column, then every registered portal section."""
    request = context.get("request")
    path = request.path if request is not None else ""
    items = []
    for section in registry.portal_sections_for(request):
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        items.append((section.label, url, path.startswith(url)))
    return {"items": items, "column_url": reverse("portal:column"), "path": path}
