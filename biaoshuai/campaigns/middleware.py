from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from biaoshuai.core import campaign as active_campaign
from biaoshuai.core.permissions import is_office
from biaoshuai.core.registry import registry

from .selectors import NoCurrentCampaign, RequestCampaigns, campaign_for_request
from .template import MODULES

PORTAL_PREFIX = "/portal/"
API_PREFIX = "/api/"
# The portal remembers the campaign a visitor chose (`?campaign=<id>`) in this cookie.
PORTAL_COOKIE = "portal_campaign"
PORTAL_COOKIE_AGE = 30 * 24 * 3600
NO_SUCH_CAMPAIGN = _("There is no such campaign.")
MODULE_OFF = _("%(name)s does not include this part; its pages open again in a campaign that does.")


class CampaignMiddleware:
    """Resolve the campaign each request works in, once, and activate it for the request.

    Back office: the user's choice (the top bar's switcher) while that campaign exists,
    else the current campaign. Portal: `?campaign=<id>` (then remembered in a cookie)
    among the campaigns that have started, else the current one. API: `?campaign=<id>`,
    else the latest campaign under way (by start date, not ended), else the current one:
    not the page selection, which a script should not depend on. The campaign is loaded
    on first use, with the list of campaigns, in one query.

    Pages that need a campaign when there is none say so, instead of a 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        portal, api = path.startswith(PORTAL_PREFIX), path.startswith(API_PREFIX)
        wanted = _int(request.GET.get("campaign")) if portal or api else None
        remembered = _int(request.COOKIES.get(PORTAL_COOKIE)) if portal else None
        if api and "campaign" in request.GET and wanted is None:
            return _api_not_found()
        campaigns = RequestCampaigns(
            user=getattr(request, "user", None),
            portal=portal,
            api=api,
            wanted=wanted if wanted is not None else remembered,
        )
        request.campaigns = campaigns
        request.campaign = SimpleLazyObject(lambda: campaigns.active)
        token = active_campaign.activate(lambda: campaigns.active)
        try:
            if api and wanted is not None and campaigns.active is None:
                return _api_not_found()
            response = self.get_response(request)
        finally:
            active_campaign.deactivate(token)
        if portal and wanted is not None and wanted != remembered:
            chosen = campaigns.active
            if chosen is not None and chosen.pk == wanted:
                response.set_cookie(
                    PORTAL_COOKIE, str(wanted), max_age=PORTAL_COOKIE_AGE, samesite="Lax"
                )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, NoCurrentCampaign):
            return render(
                request, "campaigns/no_current.html", {"is_office": is_office(request.user)}
            )
        return None


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _api_not_found():
    return JsonResponse({"code": "not_found", "message": str(NO_SUCH_CAMPAIGN)}, status=404)


class ModuleSwitchMiddleware:
    """The pages of a module the campaign switches off (`modules: {practice: false}`) answer
    404 with a page that says so. It reads the request's campaign (CampaignMiddleware,
    loaded once), so the switch, the view and the navigation add no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return self._api_switch(request)
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

    def _api_switch(self, request):
        """The API's routers sit under /api/v1/<module>/: a module switched off answers 404
        there too, as JSON."""
        parts = request.path_info.split("/")  # ["", "api", "v1", module, …]
        module = parts[3] if len(parts) > 3 else ""
        if module not in MODULES or registry.presentation(request).shows(module + "."):
            return None
        message = MODULE_OFF % {"name": campaign_for_request(request)}
        return JsonResponse({"code": "not_found", "message": message}, status=404)
