"""What rectification contributes to the registry: figures, navigation, exports, portal."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import is_cadre, is_campaign_user, is_office
from biaoshuai.core.registry import (
    Disclosable,
    Export,
    HomePanel,
    Metric,
    NavItem,
    NotificationKind,
    PortalSection,
    WorkItem,
    registry,
    shared_counts,
)
from biaoshuai.core.scope import MANAGE, scope_for

from .models import DeadlineChange, PersonalPlan, Problem, RectificationItem
from .models.items import DUE_SOON_DAYS, OPEN_STATES
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
        group="problems",
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
        group="rectification",
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
        group="rectification",
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
        group="rectification",
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


@shared_counts
def item_work(*, user, campaign=None):
    """The rectification items waiting for the user, in one query: the office verifies the
    submitted ones; those who manage a unit see its returned, overdue and due items."""
    office, manage = is_office(user), not scope_for(user, MANAGE).empty
    if not (office or manage):
        return None
    today = timezone.localdate()
    items = RectificationItem.objects.restrict(user, MANAGE)
    if campaign is not None:
        items = items.filter(campaign=campaign)
    State = RectificationItem.State
    open_ = Q(state__in=OPEN_STATES)
    counts = items.aggregate(
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        returned=Count("pk", filter=Q(state=State.RETURNED)),
        overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
        due_soon=Count(
            "pk",
            filter=open_
            & Q(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)),
        ),
    )
    if office:
        return {"submitted": counts["submitted"]}
    return {k: counts[k] for k in ("returned", "overdue", "due_soon")}


def deadline_changes_to_decide(*, user, campaign=None):
    if not is_office(user):
        return None
    changes = DeadlineChange.objects.restrict(user, MANAGE).filter(
        state=DeadlineChange.State.PENDING
    )
    if campaign is not None:
        changes = changes.filter(item__campaign=campaign)
    return changes.count()


@shared_counts
def plan_work(*, user, campaign=None):
    """Personal plans submitted in the units the user manages, and the user's own plan if
    it was returned, in one query."""
    if not is_campaign_user(user):
        return None
    scope = scope_for(user, MANAGE)
    plans = PersonalPlan.objects.all()
    if campaign is not None:
        plans = plans.filter(campaign=campaign)
    else:
        plans = plans.in_campaign()
    State = PersonalPlan.State
    wanted = {}
    if not scope.empty:
        wanted["to_review"] = Count(
            "pk", filter=Q(state=State.SUBMITTED) & scope.q("unit__path") & ~Q(person__user=user)
        )
    if is_cadre(user):
        wanted["returned"] = Count("pk", filter=Q(state=State.RETURNED, person__user=user))
    return plans.aggregate(**wanted) if wanted else None


for line in (
    WorkItem(
        "rectification.to_verify",
        _("Rectification items to verify"),
        item_work.share("submitted"),
        "rectification:ledger",
        query="state=submitted",
        bucket="review",
        nav="rectification.ledger",
        order=30,
    ),
    WorkItem(
        "rectification.deadline_changes",
        _("Deadline changes to decide"),
        deadline_changes_to_decide,
        "rectification:deadline_change_list",
        bucket="approve",
        nav="rectification.deadlines",
        order=30,
    ),
    WorkItem(
        "rectification.items_returned",
        _("Rectification items sent back"),
        item_work.share("returned"),
        "rectification:ledger",
        query="state=returned",
        bucket="returned",
        nav="rectification.ledger",
        order=30,
    ),
    WorkItem(
        "rectification.items_overdue",
        _("Rectification items overdue"),
        item_work.share("overdue"),
        "rectification:ledger",
        query="urgency=overdue",
        bucket="due",
        nav="rectification.ledger",
        order=30,
    ),
    WorkItem(
        "rectification.items_due",
        _("Rectification items due within a week"),
        item_work.share("due_soon"),
        "rectification:ledger",
        query="urgency=due_soon",
        bucket="due",
        nav="rectification.ledger",
        order=31,
    ),
    WorkItem(
        "rectification.plans_to_review",
        _("Personal plans to review"),
        plan_work.share("to_review"),
        "rectification:plan_home",
        query="state=submitted",
        bucket="review",
        nav="rectification.plans",
        order=31,
    ),
    WorkItem(
        "rectification.plan_returned",
        _("My personal plan returned"),
        plan_work.share("returned"),
        "rectification:plan_mine",
        bucket="returned",
        nav="rectification.plans",
        order=31,
    ),
):
    registry.register(line)
