"""What study contributes to the registry: completion figures, navigation, a home panel.

The figures come from the StudyCompletion snapshot (see completion.py for definitions);
each is per unit including its subtree. `by_unit` is one query for any number of units.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import can_view_org, is_cadre
from biaoshuai.core.registry import (
    HomePanel,
    Metric,
    NavItem,
    NotificationKind,
    WorkItem,
    registry,
    shared_counts,
)
from biaoshuai.core.scope import MANAGE, scope_for

from . import completion, selectors
from .models import Deliverable
from .views import can_manage_study, can_oversee


def _total(column):
    def total(*, user, campaign=None):
        campaign = campaign or selectors.campaign_current()
        return completion.figure_for_user(user=user, campaign=campaign, column=column)

    return total


def _by_unit(column):
    def by_unit(*, campaign=None, unit_ids):
        campaign = campaign or selectors.campaign_current()
        if campaign is None:
            return {}
        return completion.figures_by_unit(campaign=campaign, unit_ids=unit_ids, column=column)

    return by_unit


def kind_attendance_total(*, user, campaign=None, param=""):
    campaign = campaign or selectors.campaign_current()
    if not param or campaign is None:
        return None
    column = completion.study_kind_column(param)
    return completion.figure_for_user(user=user, campaign=campaign, column=column)


def kind_attendance_by_unit(*, campaign=None, unit_ids, param=""):
    """{unit_id: attendance rate at the sessions of study kind `param`}, in one query."""
    campaign = campaign or selectors.campaign_current()
    if campaign is None or not param:
        return {}
    return completion.figures_by_unit(
        campaign=campaign, unit_ids=unit_ids, column=completion.study_kind_column(param)
    )


def study_panel(request):
    """For a cadre: what they attend and owe next. For those who oversee: their rates and
    the deliverables awaiting review or returned."""
    user = request.user
    campaign = selectors.campaign_current()
    if campaign is None or not can_view_org(user):
        return None
    context = {"campaign": campaign}
    mine = selectors.my_study(user=user, campaign=campaign)
    if mine.get("person") is not None:
        now = timezone.now()
        context["next_sessions"] = [a for a in mine["upcoming"] if a.session.ends_at >= now][:3]
        context["owed"] = [o for o in mine["owed"] if o.accepted < o.count]
        context["is_cadre"] = True
    if can_oversee(user):
        context["rates"] = {
            column: completion.figure_for_user(user=user, campaign=campaign, column=column)
            for column in (completion.COMPLETION, completion.ATTENDANCE, completion.DELIVERABLES)
        }
        counts = selectors.review_counts(user=user, campaign=campaign)
        context["awaiting"] = counts.get(Deliverable.State.SUBMITTED, 0)
        context["returned"] = counts.get(Deliverable.State.RETURNED, 0)
        context["computed_at"] = completion.computed_at(campaign=campaign)
        context["can_review"] = can_manage_study(user)
    if "is_cadre" not in context and "rates" not in context:
        return None
    return context


for key, label, column, order in [
    ("study.completion_rate", _("Study completion rate"), completion.COMPLETION, 20),
    ("study.attendance_rate", _("Study attendance rate"), completion.ATTENDANCE, 21),
    ("study.deliverable_rate", _("Deliverables accepted"), completion.DELIVERABLES, 22),
]:
    registry.register(
        Metric(
            key,
            label,
            _total(column),
            by_unit=_by_unit(column),
            kind="percent",
            url_name="study:completion",
            home=False,  # the study panel shows them with their context
            order=order,
        )
    )

registry.register(
    Metric(
        "study.kind_attendance_rate",
        _("Attendance rate of one study kind"),
        kind_attendance_total,
        by_unit=kind_attendance_by_unit,
        kind="percent",
        url_name="study:completion",
        home=False,
        order=24,
        param="study_kinds",
    )
)
registry.register(
    NavItem(
        "study.mine",
        _("My study"),
        "study:my_study",
        visible=can_view_org,
        icon="book",
        order=20,
        group="study",
    )
)
registry.register(
    NavItem(
        "study.sessions",
        _("Study sessions"),
        "study:session_list",
        visible=can_view_org,
        icon="easel",
        order=21,
        group="study",
    )
)
registry.register(
    NavItem(
        "study.deliverables",
        _("Deliverables review"),
        "study:deliverable_list",
        visible=can_oversee,
        icon="journal-check",
        order=22,
        group="study",
    )
)
registry.register(
    NavItem(
        "study.completion",
        _("Study completion"),
        "study:completion",
        visible=can_oversee,
        icon="grid-3x3",
        order=23,
        group="study",
    )
)
registry.register(HomePanel("study.panel", "study/panels/study.html", study_panel, order=30))
registry.register(NotificationKind("study.submitted", _("Deliverables awaiting review"), order=20))
registry.register(
    NotificationKind("study.reviewed", _("My deliverables returned or accepted"), order=21)
)


@shared_counts
def deliverable_work(*, user, campaign=None):
    """Deliverables awaiting review in the units the user manages (not their own), and the
    user's own returned ones, in one query."""
    campaign = campaign or selectors.campaign_current()
    if campaign is None:
        return None
    scope = scope_for(user, MANAGE)
    wanted = {}
    if not scope.empty:
        wanted["to_review"] = Count(
            "pk",
            filter=Q(state=Deliverable.State.SUBMITTED)
            & scope.q("unit__path")
            & ~Q(person__user_id=user.pk),
        )
    if is_cadre(user):
        wanted["returned"] = Count(
            "pk", filter=Q(state=Deliverable.State.RETURNED, person__user_id=user.pk)
        )
    if not wanted:
        return None
    return Deliverable.objects.filter(campaign=campaign).aggregate(**wanted)


registry.register(
    WorkItem(
        "study.to_review",
        _("Deliverables to review"),
        deliverable_work.share("to_review"),
        "study:deliverable_list",
        query="state=submitted",
        bucket="review",
        nav="study.deliverables",
        order=20,
    )
)
registry.register(
    WorkItem(
        "study.returned",
        _("My deliverables returned"),
        deliverable_work.share("returned"),
        "study:my_study",
        bucket="returned",
        nav="study.mine",
        order=20,
    )
)
