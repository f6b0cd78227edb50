"""What assessment contributes to the registry: navigation and the home panel."""

from django.utils.translation import gettext_lazy as _

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.figures import campaign_targets
from biaoshuai.core.registry import HomePanel, NavItem, registry

from . import selectors
from .dashboard import weakest_indicator
from .periods import period_of
from .views import can_manage_assessment, can_view_assessment, can_view_dashboard

PANEL_UNITS = 5


def assessment_panel(request):
    """The leading group and the office: the top and bottom units of the latest computed
    month. A liaison: their unit's rank and total. Nothing before scores are computed."""
    user = request.user
    if not can_view_assessment(user):
        return None
    campaign = campaign_current()
    if campaign is None:
        return None
    period = selectors.score_period_latest(campaign=campaign)
    if period is None:
        return None
    context = {
        "stored": period,
        "period": period_of(period.period_start, period.period_end),
        "units": period.summary.get("units", 0),
        "warn_below": campaign_targets(campaign)["warn_below"],
    }
    if can_view_dashboard(user):
        rows = period.snapshots.select_related("unit")
        context["top"] = list(rows.order_by("rank", "unit__path")[:PANEL_UNITS])
        if context["units"] > PANEL_UNITS:
            bottom = rows.order_by("-rank", "-unit__path")[:PANEL_UNITS]
            context["bottom"] = list(bottom)[::-1]
            for row in context["bottom"]:
                row.weakest = weakest_indicator(row)
        context["can_dashboard"] = True
        return context
    mine = selectors.my_units_scores(user=user, period=period)
    if not mine:
        return None
    context["mine"] = mine
    return context


registry.register(
    NavItem(
        "assessment.ranking",
        _("Assessment"),
        "assessment:ranking",
        visible=can_view_assessment,
        icon="bar-chart-line",
        order=75,
        group="assessment",
    )
)
registry.register(
    NavItem(
        "assessment.dashboard",
        _("Leading group dashboard"),
        "assessment:dashboard",
        visible=can_view_dashboard,
        icon="speedometer2",
        order=5,
        group="assessment",
    )
)
registry.register(
    NavItem(
        "assessment.manual",
        _("Manual scores"),
        "assessment:manual_scores",
        visible=can_manage_assessment,
        icon="pencil-square",
        order=76,
        group="assessment",
    )
)
registry.register(
    HomePanel("assessment.panel", "assessment/panels/assessment.html", assessment_panel, order=35)
)
