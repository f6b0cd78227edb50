"""Reads for publicity: news and exemplars (back office and portal), publicity records,
leaderboards, the disclosure review, the portal's figures."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.registry import registry
from biaoshuai.core.scope import VIEW, scope_for
from biaoshuai.org.models import Person, Unit

from .models import Appearance, Exemplar, NewsArticle, NewsImage, Publication, ReviewState

# Units that take part in the leaderboards and can be named for having no publicity:
# the department, townships and county agencies (their sub-units count towards them).
REPORTING_KINDS = [Unit.Kind.DEPARTMENT, Unit.Kind.TOWNSHIP, Unit.Kind.COUNTY_AGENCY]
# The reverse lookup from a cadre to the pieces they wrote.
AUTHORED = "publicity_publications"
PERIOD_KINDS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("custom", _("Custom range")),
]


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def period_for(kind, day, *, start=None, end=None):
    """The month, quarter or year containing `day`, or the custom range start–end."""
    if kind == "custom":
        return Period("custom", start or day, end or day)
    if kind == "year":
        return Period("year", datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))
    if kind == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        last = first + 2
        return Period(
            "quarter",
            datetime.date(day.year, first, 1),
            datetime.date(day.year, last, calendar.monthrange(day.year, last)[1]),
        )
    return Period(
        "month",
        datetime.date(day.year, day.month, 1),
        datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1]),
    )


# News and exemplars in the back office


def readable(model, user):
    """What `user` may read of a disclosable model: `.visible_to(user)`, except that a user
    whose scope is every unit reads everything (core's `visible_to` ORs the scope's empty Q
    away for them, so it would hide unpublished and restricted records from the office)."""
    if scope_for(user, VIEW).all:
        return model.objects.in_campaign()
    return model.objects.visible_to(user)


def news_list(*, user, state="", q="", unit=None):
    """Articles the user may read (their scope's in every state; elsewhere the published
    public and internal ones), latest change first, with their unit and image count."""
    articles = readable(NewsArticle, user).select_related("unit")
    return (
        _filter_reviewed(articles, state=state, q=q, unit=unit)
        .annotate(image_count=Count("images"))
        .order_by("-updated_at", "-id")
    )


def exemplar_list(*, user, state="", q="", unit=None):
    exemplars = readable(Exemplar, user).select_related("unit", "person")
    return _filter_reviewed(exemplars, state=state, q=q, unit=unit).order_by("-updated_at", "-id")


def review_counts(*, user, model):
    """{state: count} of the records the user may read."""
    rows = readable(model, user).order_by().values_list("state").annotate(n=Count("id"))
    return dict(rows)


def news_images(*, article):
    return list(article.images.all())


def internal_news(*, user, limit=5):
    """Published news a logged-in user may read (public and internal), newest first."""
    return (
        readable(NewsArticle, user)
        .filter(state=ReviewState.PUBLISHED)
        .select_related("unit")
        .order_by("-published_at")[:limit]
    )


# The public portal: only what is 向社会公开 and published.


def news_public(*, q=""):
    articles = NewsArticle.objects.public().select_related("unit").order_by("-published_at", "-id")
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return articles


def news_public_latest(*, limit=6):
    return list(news_public()[:limit])


def news_public_detail(*, pk):
    """A public article with its images, or None."""
    return (
        news_public()
        .prefetch_related(Prefetch("images", queryset=NewsImage.objects.order_by("order", "id")))
        .filter(pk=pk)
        .first()
    )


def news_public_image(*, article_pk, image_pk=None):
    """The file of a public article's cover (image_pk None) or image, or None."""
    article = NewsArticle.objects.public().filter(pk=article_pk).first()
    if article is None:
        return None
    if image_pk is None:
        return article.cover or None
    image = NewsImage.objects.filter(article=article, pk=image_pk).first()
    return image.image if image else None


def exemplars_public(*, kind=""):
    exemplars = Exemplar.objects.public().select_related("unit", "person")
    if kind:
        exemplars = exemplars.filter(kind=kind)
    return exemplars.order_by("-published_at", "-id")


def exemplar_public_detail(*, pk):
    return exemplars_public().filter(pk=pk).first()


def portal_figures(*, campaign=None):
    """Figures the portal may show: counted from public records only."""
    news = NewsArticle.objects.public()
    exemplars = Exemplar.objects.public()
    if campaign is not None:
        news, exemplars = news.filter(campaign=campaign), exemplars.filter(campaign=campaign)
    return {
        "news": news.count(),
        "exemplars": exemplars.count(),
    }


# Publicity records


def publication_list(*, user, campaign, state="", unit=None, q="", period=None):
    """Records in the user's scope, with unit, appearances and cadre authors prefetched."""
    records = (
        Publication.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .select_related("unit")
        .prefetch_related(
            Prefetch("appearances", queryset=Appearance.objects.order_by("published_on", "id")),
            Prefetch("authors", queryset=Person.objects.only("id", "name").order_by("name")),
        )
    )
    if state:
        records = records.filter(state=state)
    if unit is not None:
        records = records.filter(unit__path__subtree=unit.path)
    if q:
        records = records.filter(Q(title__icontains=q) | Q(appearances__outlet__icontains=q))
        records = records.distinct()
    if period is not None:
        records = records.filter(published_on__range=(period.start, period.end))
    return records.order_by("-published_on", "-id")


def publication_confirmed(*, campaign, period=None):
    records = Publication.objects.filter(campaign=campaign, state=Publication.State.CONFIRMED)
    if period is not None:
        records = records.filter(published_on__range=(period.start, period.end))
    return records


def leaderboard_units(*, user, campaign, period):
    """[(unit, points, pieces)] of the reporting units in the user's scope, best first.

    A sub-unit's pieces count towards the reporting unit above it. Two queries.
    """
    return leaderboard_units_all(campaign=campaign, period=period, scope=scope_for(user, VIEW))


def leaderboard_people(*, user, campaign, period):
    """Cadres in the user's scope with their points, best first.

    Each cadre author of a confirmed piece gets the piece's full points (a piece written by
    two cadres counts fully for both). One query (plus the page count).
    """
    scope = scope_for(user, VIEW)
    condition = _author_filter(AUTHORED, campaign, period)
    return (
        Person.objects.filter(scope.q("unit__path"))
        .annotate(
            points=Coalesce(Sum(f"{AUTHORED}__points", filter=condition), 0),
            pieces=Count(AUTHORED, filter=condition),
        )
        .filter(pieces__gt=0)
        .select_related("unit")
        .order_by("-points", "-pieces", "name", "id")
    )


def publicity_units_without_pieces(*, campaign, period, user=None):
    """Reporting units with no confirmed publicity in `period` (for bulletins to name).

    `user` limits the units to that user's scope; None means every unit. Two queries.
    """
    scope = scope_for(user, VIEW) if user is not None else None
    rows = leaderboard_units_all(campaign=campaign, period=period, scope=scope)
    return [unit for unit, _points, pieces in rows if pieces == 0]


def leaderboard_units_all(*, campaign, period, scope=None):
    """[(unit, points, pieces)] of every reporting unit (or those of `scope`), best first."""
    records = publication_confirmed(campaign=campaign, period=period)
    if scope is not None:
        records = records.filter(scope.q("unit__path"))
    totals = records.values("unit__path").annotate(points=Sum("points"), pieces=Count("id"))
    units = list(_reporting_units(scope))
    by_path = {u.path: u for u in units}
    sums = {u.pk: [0, 0] for u in units}
    for row in totals:
        unit = _reporting_unit_of(row["unit__path"], by_path)
        if unit is not None:
            sums[unit.pk][0] += row["points"]
            sums[unit.pk][1] += row["pieces"]
    return sorted(((u, *sums[u.pk]) for u in units), key=lambda r: (-r[1], -r[2], r[0].path))


def confirmed_by_unit(*, campaign, unit_ids, count=False, period_start=None, period_end=None):
    """{unit_id: confirmed points (or pieces, with count) over the unit's subtree}, of the
    pieces published in the period (from `period_start`, up to `period_end`) as the
    leaderboard counts them.

    One query whatever the number of units.
    """
    records = Publication.objects.filter(
        campaign=campaign,
        state=Publication.State.CONFIRMED,
        unit__path__subtree=OuterRef("path"),
    )
    if period_start is not None:
        records = records.filter(published_on__gte=period_start)
    if period_end is not None:
        records = records.filter(published_on__lte=period_end)
    records = records.order_by().values("campaign")
    value = records.annotate(n=Count("id") if count else Sum("points")).values("n")
    rows = (
        Unit.objects.filter(pk__in=list(unit_ids))
        .annotate(value=Coalesce(Subquery(value[:1]), 0))
        .values_list("pk", "value")
    )
    return dict(rows)


def disclosure_review(*, limit_per_type=200):
    """[(registration, [records])] of every disclosable type: records whose proposed level
    differs from the level set, for the office to decide."""
    out = []
    for entry in sorted(registry.disclosables.values(), key=lambda d: (d.order, d.key)):
        if entry.pending is not None:
            records = entry.pending()
        else:
            records = (
                entry.model._default_manager.in_campaign()
                .exclude(disclosure_proposed="")
                .exclude(disclosure_proposed=F("disclosure"))
                .order_by("-pk")
            )
            if any(f.name == "unit" for f in entry.model._meta.fields):
                records = records.select_related("unit")
        out.append((entry, list(records[:limit_per_type])))
    return out


def disclosure_levels(campaign=None):
    """[(level, name)] in the product's order, named as the campaign's template names them."""
    names = dict(campaign.choices("disclosure_levels")) if campaign is not None else {}
    return [(key, names.get(key) or label) for key, label in Disclosure.choices]


def _filter_reviewed(records, *, state, q, unit):
    if state:
        records = records.filter(state=state)
    if q:
        records = records.filter(title__icontains=q)
    if unit is not None:
        records = records.filter(unit__path__subtree=unit.path)
    return records


def _reporting_units(scope):
    units = Unit.objects.filter(is_active=True, kind__in=REPORTING_KINDS)
    if scope is not None and not scope.all:
        # A liaison's own unit and the reporting units below it.
        units = units.filter(scope.q("path"))
    return units.order_by("path")


def _reporting_unit_of(path, by_path):
    """The nearest reporting unit at or above the unit with `path`."""
    segments = path.rstrip("/").split("/")
    for depth in range(len(segments), 0, -1):
        unit = by_path.get("/".join(segments[:depth]) + "/")
        if unit is not None:
            return unit
    return None


def _author_filter(lookup, campaign, period):
    condition = Q(
        **{f"{lookup}__campaign": campaign, f"{lookup}__state": Publication.State.CONFIRMED}
    )
    if period is not None:
        condition &= Q(**{f"{lookup}__published_on__range": (period.start, period.end)})
    return condition
