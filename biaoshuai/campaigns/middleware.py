from django.shortcuts import render

from biaoshuai.core.permissions import is_office

from .selectors import NoCurrentCampaign


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
