"""What campaigns contributes to the registry: plan progress, navigation, a home panel."""

from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import can_view_org, is_office
from biaoshuai.core.registry import HomePanel, Metric, NavItem, registry

from . import selectors


def plan_progress_total(*, user, campaign=None):
    """Share of the plan's started steps that are done (see selectors.plan_progress)."""
    if not can_view_org(user):
        return None
    campaign = campaign or selectors.campaign_current()
    if campaign is None:
        return None
    return selectors.plan_progress(campaign=campaign)


def plan_panel(request):
    """The current campaign on the home page: phase, days, progress, steps to watch."""
    if not can_view_org(request.user):
        return None
    campaign = selectors.campaign_current()
    if campaign is None:
        return {"campaign": None, "is_office": is_office(request.user)}
    campaigns = getattr(request, "campaigns", None)
    others = [c for c in campaigns.under_way() if c.pk != campaign.pk] if campaigns else []
    return {
        **selectors.plan_summary(campaign=campaign),
        "is_office": is_office(request.user),
        "also_under_way": others,
    }


registry.register(
    Metric(
        "campaigns.plan_progress",
        _("Plan progress"),
        plan_progress_total,
        kind="percent",
        url_name="campaigns:current_plan",
        home=False,  # the plan panel shows it with its context
        order=15,
    )
)
registry.register(
    NavItem(
        "campaigns.plan",
        _("Campaign plan"),
        "campaigns:current_plan",
        visible=can_view_org,
        icon="calendar3-range",
        order=15,
    )
)
registry.register(
    NavItem(
        "campaigns.list",
        _("Campaigns"),
        "campaigns:campaign_list",
        visible=is_office,
        icon="collection",
        order=85,
        group="system",
    )
)
registry.register(HomePanel("campaigns.plan", "campaigns/panels/plan.html", plan_panel, order=20))
