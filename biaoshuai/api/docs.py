"""Interactive API docs that load with no internet: Swagger UI from our own static files."""

import json

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class OfflineSwagger(DocsBase):
    """ninja's Swagger page, but rendered from the api app's template and static copy of
    Swagger UI (ninja only uses its bundled files when "ninja" is an installed app)."""

    template = "api/swagger.html"

    def __init__(self, settings=None):
        self.settings = {"layout": "BaseLayout", "deepLinking": True, **(settings or {})}

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            self.template,
            {"api": api, "swagger_settings": json.dumps(settings, indent=1), "add_csrf": True},
        )
