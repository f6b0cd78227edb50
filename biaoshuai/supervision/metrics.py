"""What supervision contributes to the registry: figures by unit, navigation, the portal's
public bulletins, the bulletin as a disclosable record, and the liaison's home panel."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.permissions import is_leading_group, is_liaison, is_office
from biaoshuai.core.registry import (
    Disclosable,
    HomePanel,
    Metric,
    NavItem,
    NotificationKind,
    PortalSection,
    WorkItem,
    registry,
    shared_counts,
)
from biaoshuai.core.scope import MANAGE, VIEW, scope_for

from .models import Bulletin, SupervisionTask
from .periods import participating_units
from .selectors import figures
from .selectors.items import reminders_for
from .services.items import task_deadlines
from .services.reports import report_deadlines


def can_view_supervision(user):
    return not scope_for(user, VIEW).empty


def can_issue(user):
    """The office and the leading group issue supervision items and review replies."""
    return is_office(user) or is_leading_group(user)


def can_read_bulletins(user):
    return user.is_authenticated


def _total(by_unit, *, user, campaign, percent=False):
    """A figure over the top units of the user's scope (summed; for a rate, their mean)."""
    scope = scope_for(user, VIEW)
    if scope.empty:
        return None
    units = list(participating_units().restrict(user, VIEW).values_list("pk", "path"))
    paths = [path for _pk, path in units]
    tops = [pk for pk, path in units if not any(path != p and path.startswith(p) for p in paths)]
    values = by_unit(campaign=campaign, unit_ids=tops)
    known = [v for v in values.values() if v is not None]
    if percent:
        return round(sum(known) / len(known), 1) if known else None
    return sum(known)


def on_time_rate_total(*, user, campaign=None):
    return _total(figures.on_time_rate_by_unit, user=user, campaign=campaign, percent=True)


def overdue_total(*, user, campaign=None):
    if scope_for(user, VIEW).empty:
        return None
    campaign = campaign or campaign_current()
    if campaign is None:
        return None
    return SupervisionTask.objects.restrict(user).filter(item__campaign=campaign).red().count()


def reports_missing_total(*, user, campaign=None):
    return _total(figures.reports_missing_by_unit, user=user, campaign=campaign)


def reports_late_total(*, user, campaign=None):
    return _total(figures.reports_late_by_unit, user=user, campaign=campaign)


def reminders_panel(request):
    """Reminders sent to this liaison about tasks their unit still owes; None if there are none."""
    reminders = list(reminders_for(user=request.user))
    if not reminders:
        return None
    return {"reminders": reminders}


registry.register(
    Metric(
        "supervision.on_time_rate",
        _("Supervision items done on time"),
        on_time_rate_total,
        by_unit=figures.on_time_rate_by_unit,
        kind="percent",
        url_name="supervision:task_list",
        home=False,
        order=60,
    )
)
registry.register(
    Metric(
        "supervision.overdue",
        _("Overdue supervision tasks"),
        overdue_total,
        by_unit=figures.overdue_by_unit,
        url_name="supervision:task_list",
        better="lower",
        order=61,
    )
)
registry.register(
    Metric(
        "reports.missing",
        _("Missing unit reports"),
        reports_missing_total,
        by_unit=figures.reports_missing_by_unit,
        url_name="supervision:report_table",
        better="lower",
        order=62,
    )
)
registry.register(
    Metric(
        "reports.late",
        _("Late unit reports"),
        reports_late_total,
        by_unit=figures.reports_late_by_unit,
        url_name="supervision:report_table",
        home=False,
        better="lower",
        order=63,
    )
)
registry.register(
    NavItem(
        "supervision.tasks",
        _("Supervision"),
        "supervision:task_list",
        can_view_supervision,
        "flag",
        60,
        group="supervision",
    )
)
registry.register(
    NavItem(
        "supervision.reports",
        _("Unit reports"),
        "supervision:report_table",
        can_view_supervision,
        "journal-text",
        61,
        group="supervision",
    )
)
registry.register(
    NavItem(
        "supervision.bulletins",
        _("Bulletins"),
        "supervision:bulletin_list",
        can_read_bulletins,
        "megaphone",
        62,
        group="supervision",
    )
)
registry.register(
    PortalSection(
        "supervision.bulletins",
        _("Public bulletins"),
        "supervision_public:bulletin_list",
        order=60,
    )
)
registry.register(
    Disclosable(
        "supervision.bulletin",
        _("Bulletin"),
        Bulletin,
        url=lambda obj: reverse("supervision:bulletin_detail", args=[obj.pk]),
        order=60,
    )
)
registry.register(
    HomePanel("supervision.reminders", "supervision/panels/reminders.html", reminders_panel, 30)
)

for kind in (
    NotificationKind(
        "supervision.task", _("Supervision items issued, replied, sent back or accepted"), order=70
    ),
    NotificationKind("supervision.remind", _("Supervision reminders"), order=71),
    NotificationKind(
        "supervision.deadline", _("Supervision deadlines"), deadlines=task_deadlines, order=72
    ),
    NotificationKind("supervision.inspection", _("Inspection findings assigned"), order=73),
    NotificationKind(
        "supervision.report", _("Unit reports submitted, reviewed or returned"), order=74
    ),
    NotificationKind(
        "supervision.report_deadline",
        _("Unit reports due and late"),
        deadlines=report_deadlines,
        order=75,
    ),
    NotificationKind(
        "supervision.bulletin", _("Bulletins to approve, approved, returned or published"), order=76
    ),
):
    registry.register(kind)


@shared_counts
def task_work(*, user, campaign=None):
    """The supervision items waiting for the user, in one query: a liaison's units owe a
    reply; the office and the leading group check the replies."""
    reply, check = is_liaison(user) and not scope_for(user, MANAGE).empty, can_issue(user)
    if not (reply or check):
        return None
    tasks = SupervisionTask.objects.restrict(user, MANAGE if reply and not check else VIEW)
    if campaign is not None:
        tasks = tasks.filter(item__campaign=campaign)
    counts = tasks.aggregate(
        owed=Count("pk", filter=Q(state__in=SupervisionTask.OWED)),
        replied=Count("pk", filter=Q(state=SupervisionTask.State.REPLIED)),
    )
    return {
        "owed": counts["owed"] if reply and not check else None,
        "replied": counts["replied"] if check else None,
    }


def bulletins_to_approve(*, user, campaign=None):
    """Bulletins awaiting the leading group's approval (only they approve)."""
    if not is_leading_group(user):
        return None
    bulletins = Bulletin.objects.restrict(user, VIEW).filter(state=Bulletin.State.SUBMITTED)
    if campaign is not None:
        bulletins = bulletins.filter(campaign=campaign)
    return bulletins.count()


def bulletins_returned(*, user, campaign=None):
    """Bulletins the leading group sent back to the office."""
    if not is_office(user):
        return None
    bulletins = Bulletin.objects.restrict(user, VIEW).filter(state=Bulletin.State.RETURNED)
    if campaign is not None:
        bulletins = bulletins.filter(campaign=campaign)
    return bulletins.count()


for line in (
    WorkItem(
        "supervision.to_reply",
        _("Supervision items to reply"),
        task_work.share("owed"),
        "supervision:task_list",
        query="state=owed",
        bucket="reply",
        nav="supervision.tasks",
        order=20,
    ),
    WorkItem(
        "supervision.replies",
        _("Supervision replies to check"),
        task_work.share("replied"),
        "supervision:task_list",
        query="state=replied",
        bucket="review",
        nav="supervision.tasks",
        order=20,
    ),
    WorkItem(
        "supervision.bulletins_to_approve",
        _("Bulletins to approve"),
        bulletins_to_approve,
        "supervision:bulletin_list",
        bucket="approve",
        nav="supervision.bulletins",
        order=10,
    ),
    WorkItem(
        "supervision.bulletins_returned",
        _("Bulletins sent back"),
        bulletins_returned,
        "supervision:bulletin_list",
        bucket="returned",
        nav="supervision.bulletins",
        order=40,
    ),
):
    registry.register(line)
