"""What publicity contributes to the registry: its figures, disclosable records, portal
sections, navigation and export."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.permissions import can_view_org, is_office
from biaoshuai.core.registry import (
    Disclosable,
    Export,
    Metric,
    NavItem,
    NotificationKind,
    PortalSection,
    WorkItem,
    registry,
    shared_counts,
)
from biaoshuai.core.scope import MANAGE, scope_for

from . import selectors
from .models import Exemplar, NewsArticle, Publication


def points_total(*, user, campaign=None):
    """Confirmed publicity points within the user's scope (each piece at its best appearance)."""
    return _confirmed_total(user, campaign, Sum("points"))


def pieces_total(*, user, campaign=None):
    """Confirmed publicity pieces within the user's scope."""
    return _confirmed_total(user, campaign, Count("id"))


def points_by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None):
    """{unit_id: confirmed points of the unit and the units below it, published in the
    period}, in one query."""
    campaign = campaign or campaign_current()
    if campaign is None:
        return dict.fromkeys(unit_ids, 0)
    return selectors.confirmed_by_unit(
        campaign=campaign, unit_ids=unit_ids, period_start=period_start, period_end=period_end
    )


def pieces_by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None):
    """{unit_id: confirmed pieces of the unit and the units below it}, in one query."""
    campaign = campaign or campaign_current()
    if campaign is None:
        return dict.fromkeys(unit_ids, 0)
    return selectors.confirmed_by_unit(
        campaign=campaign,
        unit_ids=unit_ids,
        count=True,
        period_start=period_start,
        period_end=period_end,
    )


def _confirmed_total(user, campaign, aggregate):
    scope = scope_for(user)
    if scope.empty:
        return None
    campaign = campaign or campaign_current()
    if campaign is None:
        return None
    value = (
        Publication.objects.restrict(user)
        .filter(campaign=campaign, state=Publication.State.CONFIRMED)
        .aggregate(value=aggregate)["value"]
    )
    return value or 0


def can_write(user):
    """Units (liaisons) and the office write news, exemplars and publicity records."""
    return not scope_for(user, "manage").empty


registry.register(
    Metric(
        "publicity.points",
        _("Publicity points"),
        points_total,
        by_unit=points_by_unit,
        url_name="publicity:leaderboard",
        order=70,
    )
)
registry.register(
    Metric(
        "publicity.pieces",
        _("Pieces published"),
        pieces_total,
        by_unit=pieces_by_unit,
        url_name="publicity:publication_list",
        home=False,
        order=71,
    )
)
registry.register(
    Disclosable(
        "publicity.news",
        _("News articles"),
        NewsArticle,
        url=lambda obj: reverse("publicity:news_detail", args=[obj.pk]),
        order=10,
    )
)
registry.register(
    Disclosable(
        "publicity.exemplars",
        _("Exemplars"),
        Exemplar,
        url=lambda obj: reverse("publicity:exemplar_detail", args=[obj.pk]),
        order=60,
    )
)
registry.register(PortalSection("publicity.news", _("News"), "publicity_public:news_list", 10))
registry.register(
    PortalSection(
        "publicity.exemplars",
        _("Good practices and exemplars"),
        "publicity_public:exemplar_list",
        40,
    )
)
registry.register(
    NavItem(
        "publicity.news",
        _("News"),
        "publicity:news_list",
        can_view_org,
        "newspaper",
        70,
        group="publicity",
    )
)
registry.register(
    NavItem(
        "publicity.exemplars",
        _("Exemplars"),
        "publicity:exemplar_list",
        can_view_org,
        "award",
        71,
        group="publicity",
    )
)
registry.register(
    NavItem(
        "publicity.publications",
        _("Publicity records"),
        "publicity:publication_list",
        can_view_org,
        "megaphone",
        72,
        group="publicity",
    )
)
registry.register(
    NavItem(
        "publicity.leaderboard",
        _("Publicity ranking"),
        "publicity:leaderboard",
        can_view_org,
        "trophy",
        73,
        group="publicity",
    )
)
registry.register(
    NavItem(
        "publicity.disclosure",
        _("Disclosure review"),
        "publicity:disclosure_review",
        is_office,
        "eye",
        74,
        group="publicity",
    )
)
registry.register(
    Export(
        "publicity.publications",
        _("Publicity records"),
        "publicity:publication_export",
        can_view_org,
    )
)
registry.register(
    NotificationKind(
        "publicity.review", _("News and exemplars submitted, returned or published"), order=80
    )
)
registry.register(NotificationKind("publicity.disclosure", _("Disclosure decided"), order=81))


@shared_counts
def news_work(*, user, campaign=None):
    """News waiting for the user, in one query: the office reviews what units submitted;
    a unit rewrites what the office returned."""
    office = is_office(user)
    if not (office or can_write(user)):
        return None
    news = NewsArticle.objects.restrict(user, MANAGE)
    if campaign is not None:
        news = news.filter(campaign=campaign)
    counts = news.aggregate(
        submitted=Count("pk", filter=Q(state=NewsArticle.State.SUBMITTED)),
        returned=Count("pk", filter=Q(state=NewsArticle.State.RETURNED)),
    )
    return {"submitted": counts["submitted"]} if office else {"returned": counts["returned"]}


for line in (
    WorkItem(
        "publicity.news_to_review",
        _("News to review"),
        news_work.share("submitted"),
        "publicity:news_list",
        query="state=submitted",
        bucket="review",
        nav="publicity.news",
        order=50,
    ),
    WorkItem(
        "publicity.news_returned",
        _("News returned"),
        news_work.share("returned"),
        "publicity:news_list",
        query="state=returned",
        bucket="returned",
        nav="publicity.news",
        order=50,
    ),
):
    registry.register(line)
