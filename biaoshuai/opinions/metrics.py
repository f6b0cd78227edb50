"""What opinions contribute to the registry: rates, navigation, home panels, portal, disclosure.

The three rates, for the opinions of a campaign handled by a unit or any unit below it:

- reply rate (opinions.reply_rate) = opinions with a reply approved by the office
  (published to the submitter at least once) ÷ opinions ever assigned to a unit, × 100.
- on-time rate (opinions.on_time_rate) = opinions whose first reply from the unit came on
  or before the deadline ÷ (opinions replied to at least once + opinions not yet replied to
  whose deadline has passed), × 100.
- satisfaction rate (opinions.satisfaction_rate) = opinions whose submitter's latest rating
  is 满意 or 基本满意 ÷ opinions rated by their submitter, × 100.

Each is a percentage with one decimal, or None when the denominator is zero.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
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
from biaoshuai.org.models import Unit

from .models import Opinion
from .selectors import opinion_counts
from .services import opinion_deadlines


def can_view_opinions(user):
    """The office, the leading group and liaisons work with opinions (not system roles)."""
    return is_office(user) or is_leading_group(user) or is_liaison(user)


def can_manage_opinions(user):
    return is_office(user)


def can_handle_opinions(user):
    """A liaison (or the office) signs for and replies to opinions of their units."""
    return (is_office(user) or is_liaison(user)) and not scope_for(user, MANAGE).empty


def _rate_parts(today):
    """(numerator, denominator) conditions of each rate."""
    return {
        "opinions.reply_rate": (
            Q(reply_published_at__isnull=False),
            Q(assigned_at__isnull=False),
        ),
        "opinions.on_time_rate": (
            Q(replied_on_time=True),
            Q(first_replied_at__isnull=False)
            | Q(assigned_at__isnull=False, first_replied_at__isnull=True, deadline__lt=today),
        ),
        "opinions.satisfaction_rate": (
            Q(rating__in=Opinion.SATISFIED_RATINGS),
            ~Q(rating=""),
        ),
    }


def _percent(numerator, denominator):
    if not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def _campaign(campaign):
    if campaign is not None:
        return campaign
    return campaign_current()


def rate_total(key):
    def total(*, user, campaign=None):
        campaign = _campaign(campaign)
        if campaign is None or not can_view_opinions(user):
            return None
        numerator, denominator = _rate_parts(timezone.localdate())[key]
        counts = (
            Opinion.objects.restrict(user, VIEW)
            .filter(campaign=campaign)
            .aggregate(
                n=Count("pk", filter=numerator & denominator), d=Count("pk", filter=denominator)
            )
        )
        return _percent(counts["n"], counts["d"])

    return total


def rate_by_unit(key):
    def by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None, today=None):
        """{unit_id: rate} for each unit's subtree (opinions received in the period), in one query."""
        campaign = _campaign(campaign)
        if campaign is None:
            return {pk: None for pk in unit_ids}
        numerator, denominator = _rate_parts(today or timezone.localdate())[key]
        subtree = Opinion.objects.filter(campaign=campaign, unit__path__subtree=OuterRef("path"))
        if period_start is not None:
            subtree = subtree.filter(received_on__gte=period_start)
        if period_end is not None:
            subtree = subtree.filter(received_on__lte=period_end)
        units = Unit.objects.filter(pk__in=unit_ids).annotate(
            n=_count(subtree.filter(numerator & denominator)), d=_count(subtree.filter(denominator))
        )
        return {pk: _percent(n, d) for pk, n, d in units.values_list("pk", "n", "d")}

    return by_unit


def channels_breakdown(*, user, campaign=None):
    """{channel name: opinions} within the user's scope, for the dashboard's chart."""
    campaign = _campaign(campaign)
    if campaign is None or not can_view_opinions(user):
        return None
    names = dict(campaign.choices("opinion_channels"))
    rows = (
        Opinion.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .order_by()
        .values_list("channel")
        .annotate(n=Count("pk"))
    )
    counts = dict(rows)
    return {name: counts.get(key, 0) for key, name in names.items()}


def _count(queryset):
    counts = queryset.order_by().annotate(one=Value(1)).values("one").annotate(c=Count("pk"))
    return Coalesce(Subquery(counts.values("c"), output_field=IntegerField()), 0)


def office_panel(request):
    if not is_office(request.user):
        return None
    return {"counts": opinion_counts(user=request.user)}


def liaison_panel(request):
    user = request.user
    if is_office(user) or not is_liaison(user):
        return None
    return {"counts": opinion_counts(user=user)}


METRICS = [
    ("opinions.reply_rate", _("Opinion reply rate"), 40),
    ("opinions.on_time_rate", _("Opinions replied on time"), 41),
    ("opinions.satisfaction_rate", _("Satisfaction with replies"), 42),
]
for key, label, order in METRICS:
    registry.register(
        Metric(
            key,
            label,
            rate_total(key),
            by_unit=rate_by_unit(key),
            kind="percent",
            url_name="opinions:list",
            order=order,
            breakdown=channels_breakdown if key == "opinions.reply_rate" else None,
        )
    )
registry.register(
    NavItem(
        "opinions.list",
        _("Opinions"),
        "opinions:list",
        can_view_opinions,
        "chat-left-text",
        50,
        group="opinions",
    )
)
registry.register(
    NavItem(
        "opinions.groups",
        _("Finding problems"),
        "opinions:groups",
        can_view_opinions,
        "diagram-2",
        51,
        group="problems",
    )
)
registry.register(
    HomePanel("opinions.office", "opinions/panels/office.html", office_panel, order=40)
)
registry.register(
    HomePanel("opinions.liaison", "opinions/panels/liaison.html", liaison_panel, order=41)
)
registry.register(
    PortalSection("opinions", _("Send us your opinion"), "opinions_public:submit", order=20)
)
registry.register(Disclosable("opinions.opinion", _("Opinion summaries"), Opinion))


def _register_kinds():
    for kind in (
        NotificationKind("opinions.assigned", _("Opinions assigned to my unit"), order=30),
        NotificationKind("opinions.replied", _("Replies awaiting review"), order=31),
        NotificationKind("opinions.reviewed", _("Replies returned or approved"), order=32),
        NotificationKind("opinions.unsatisfied", _("Replies rated dissatisfied"), order=33),
        NotificationKind(
            "opinions.deadline", _("Opinion reply deadlines"), deadlines=opinion_deadlines, order=34
        ),
    ):
        registry.register(kind)


_register_kinds()


@shared_counts
def opinion_work(*, user, campaign=None):
    """The opinions waiting for the user, in one query: the office assigns new ones and
    reviews the replies; a liaison signs for and replies to those of their units."""
    office = is_office(user)
    if not (office or can_handle_opinions(user)):
        return None
    opinions = Opinion.objects.restrict(user, MANAGE)
    if campaign is not None:
        opinions = opinions.filter(campaign=campaign)
    State = Opinion.State
    counts = opinions.aggregate(
        unassigned=Count("pk", filter=Q(state=State.NEW)),
        review=Count("pk", filter=Q(state=State.REPLIED)),
        to_sign=Count("pk", filter=Q(state=State.ASSIGNED)),
        to_reply=Count("pk", filter=Q(state__in=[State.SIGNED, State.RETURNED, State.REOPENED])),
    )
    if office:
        return {"unassigned": counts["unassigned"], "review": counts["review"]}
    return {"to_sign": counts["to_sign"], "to_reply": counts["to_reply"]}


for line in (
    WorkItem(
        "opinions.unassigned",
        _("Opinions to assign"),
        opinion_work.share("unassigned"),
        "opinions:list",
        query="box=unassigned",
        bucket="review",
        nav="opinions.list",
        order=10,
    ),
    WorkItem(
        "opinions.review",
        _("Opinion replies to review"),
        opinion_work.share("review"),
        "opinions:list",
        query="box=review",
        bucket="review",
        nav="opinions.list",
        order=11,
    ),
    WorkItem(
        "opinions.to_sign",
        _("Opinions to sign for"),
        opinion_work.share("to_sign"),
        "opinions:list",
        query="box=to_sign",
        bucket="reply",
        nav="opinions.list",
        order=10,
    ),
    WorkItem(
        "opinions.to_reply",
        _("Opinions to reply"),
        opinion_work.share("to_reply"),
        "opinions:list",
        query="box=to_reply",
        bucket="reply",
        nav="opinions.list",
        order=11,
    ),
):
    registry.register(line)
