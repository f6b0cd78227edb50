"""What rectification contributes to the registry: figures, navigation, exports, portal."""

from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import is_office
from biaoshuai.core.registry import (
    Disclosable,
    Export,
    HomePanel,
    Metric,
    NavItem,
    NotificationKind,
    PortalSection,
    registry,
)
from biaoshuai.core.scope import MANAGE, scope_for

from .models import Problem
from .selectors.figures import (
    figures_by_unit,
    figures_total,
    problems_found_by_unit,
    problems_found_total,
    rate,
)
from .services.notices import item_deadlines, measure_deadlines
from .views.panels import attention_panel


def can_view(user):
    return not scope_for(user).empty


def can_manage(user):
    return not scope_for(user, MANAGE).empty


def close_rate(*, user, campaign=None):
    f = figures_total(user=user, campaign=campaign)
    return None if f is None else rate(f["closed"], f["due"])


def on_time_rate(*, user, campaign=None):
    f = figures_total(user=user, campaign=campaign)
    return None if f is None else rate(f["on_time"], f["due"])


def overdue(*, user, campaign=None):
    f = figures_total(user=user, campaign=campaign)
    return None if f is None else f["overdue"]


# Stock figures: counted as of `today` (a period's last day); the period's start is unused.
def close_rate_by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None, today=None):
    figures = figures_by_unit(campaign=campaign, unit_ids=unit_ids, today=today)
    return {k: rate(v["closed"], v["due"]) for k, v in figures.items()}


def on_time_rate_by_unit(
    *, campaign=None, unit_ids, period_start=None, period_end=None, today=None
):
    figures = figures_by_unit(campaign=campaign, unit_ids=unit_ids, today=today)
    return {k: rate(v["on_time"], v["due"]) for k, v in figures.items()}


def overdue_by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None, today=None):
    figures = figures_by_unit(campaign=campaign, unit_ids=unit_ids, today=today)
    return {k: v["overdue"] for k, v in figures.items()}


registry.register(
    Metric(
        "rectification.problems_found",
        _("Problems found"),
        problems_found_total,
        by_unit=problems_found_by_unit,
        url_name="rectification:problem_list",
        home=False,
        order=59,
    )
)
registry.register(
    Metric(
        "rectification.close_rate",
        _("Rectification close rate"),
        close_rate,
        by_unit=close_rate_by_unit,
        kind="percent",
        url_name="rectification:ledger",
        order=60,
    )
)
registry.register(
    Metric(
        "rectification.on_time_rate",
        _("Rectification on-time rate"),
        on_time_rate,
        by_unit=on_time_rate_by_unit,
        kind="percent",
        url_name="rectification:ledger",
        home=False,
        order=61,
    )
)
registry.register(
    Metric(
        "rectification.overdue",
        _("Overdue rectification items"),
        overdue,
        by_unit=overdue_by_unit,
        url_name="rectification:ledger",
        better="lower",
        order=62,
    )
)
registry.register(
    NavItem(
        "rectification.problems",
        _("Problem list"),
        "rectification:problem_list",
        can_view,
        "exclamation-diamond",
        60,
    )
)
registry.register(
    NavItem(
        "rectification.ledger",
        _("Rectification ledger"),
        "rectification:ledger",
        can_view,
        "list-check",
        61,
    )
)
registry.register(
    NavItem(
        "rectification.plans",
        _("Personal plans"),
        "rectification:plan_home",
        can_view,
        "person-check",
        62,
    )
)
registry.register(
    NavItem(
        "rectification.deadlines",
        _("Deadline changes"),
        "rectification:deadline_change_list",
        is_office,
        "calendar2-week",
        63,
    )
)
registry.register(
    Export(
        "rectification.ledger", _("Rectification ledger"), "rectification:ledger_export", can_view
    )
)
registry.register(
    PortalSection("rectification", _("Rectification board"), "rectification_public:board", order=30)
)
registry.register(Disclosable("rectification.problem", _("Problems"), Problem))
registry.register(
    HomePanel(
        "rectification.attention", "rectification/panels/attention.html", attention_panel, order=40
    )
)
registry.register(
    NotificationKind(
        "rectification.item", _("Rectification item returned, closed or deadline decided"), order=60
    )
)
registry.register(
    NotificationKind("rectification.plan", _("Personal plan submitted or reviewed"), order=61)
)
registry.register(
    NotificationKind(
        "rectification.deadline",
        _("Rectification deadlines"),
        deadlines=item_deadlines,
        order=62,
    )
)
registry.register(
    NotificationKind(
        "rectification.measure_deadline",
        _("Personal plan measure deadlines"),
        deadlines=measure_deadlines,
        order=63,
    )
)
