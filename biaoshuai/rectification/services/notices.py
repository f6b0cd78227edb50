"""Who hears of a rectification item, and the deadlines the daily reminders read."""

from datetime import timedelta

from django.urls import reverse

from biaoshuai.core.registry import Deadline
from biaoshuai.notifications.recipients import liaisons_by_path
from biaoshuai.notifications.services import DUE_SOON_DAYS

from ..models import PersonalPlan, PlanMeasure, RectificationItem


def item_recipients(*, items):
    """{item id: [user ids]}: the responsible person's and leader's logins, and the liaisons
    of the responsible unit and the units above it. One query whatever the items."""
    liaisons = liaisons_by_path(item.unit for item in items)
    out = {}
    for item in items:
        ids = [p.user_id for p in (item.person, item.leader) if p is not None and p.user_id]
        out[item.pk] = list(dict.fromkeys(ids + liaisons[item.unit_id]))
    return out


def item_deadlines(*, today):
    """Open items due within three days, due today or overdue, with who must act."""
    items = list(
        RectificationItem.objects.open()
        .filter(deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("unit", "person", "leader", "campaign")
        .order_by("deadline", "id")
    )
    recipients = item_recipients(items=items)
    for item in items:
        yield Deadline(
            key=f"rectification.item:{item.pk}",
            title=item.measure,
            due=item.deadline,
            recipients=recipients[item.pk],
            url=reverse("rectification:item_detail", args=[item.pk]),
            campaign=item.campaign,
        )


def measure_deadlines(*, today):
    """Measures of personal plans under way, not done, due soon or overdue: the cadre."""
    measures = (
        PlanMeasure.objects.filter(
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            plan__state__in=[PersonalPlan.State.SUBMITTED, PersonalPlan.State.ACCEPTED],
            plan__person__user__isnull=False,
        )
        .select_related("plan", "plan__person", "plan__campaign")
        .order_by("due_on", "id")
    )
    for measure in measures:
        yield Deadline(
            key=f"rectification.measure:{measure.pk}",
            title=measure.measure,
            due=measure.due_on,
            recipients=[measure.plan.person.user_id],
            url=reverse("rectification:plan_detail", args=[measure.plan_id]),
            campaign=measure.plan.campaign,
        )
