from django.urls import reverse

from biaoshuai.core.scope import scope_for


def campaign_switcher(request):
    """The top bar's campaign switcher, for whoever holds a campaign role."""
    user = getattr(request, "user", None)
    campaigns = getattr(request, "campaigns", None)
    if campaigns is None or user is None or not user.is_authenticated or scope_for(user).empty:
        return {}
    return {"campaign_switcher": {"campaigns": campaigns, "url": reverse("campaigns:choose")}}
