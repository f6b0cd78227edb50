from django.shortcuts import render

from biaoshuai.core.permissions import is_office
from biaoshuai.core.registry import registry

from .models import request_memo_end, request_memo_start
from .selectors import NoCurrentCampaign, campaign_for_request
from .template import MODULES


class NoCurrentCampaignMiddleware:
    """Pages that need the current campaign say so when there is none, instead of a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoCurrentCampaign):
            return render(
                request, "campaigns/no_current.html", {"is_office": is_office(request.user)}
            )
        return None


class ModuleSwitchMiddleware:
    """The pages of a module the campaign switches off (`modules: {practice: false}`) answer
    404 with a page that says so. While a request runs, the current campaign is looked up
    once, so the switch, the view and the navigation add no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_memo_start()
        try:
            return self.get_response(request)
        finally:
            request_memo_end(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        namespace = (match.namespace if match else "").split(":", 1)[0]
        module = namespace.removesuffix("_public")
        if module not in MODULES or registry.presentation(request).shows(module + "."):
            return None
        return render(
            request,
            "campaigns/module_off.html",
            {"campaign": campaign_for_request(request), "public": namespace != module},
            status=404,
        )
