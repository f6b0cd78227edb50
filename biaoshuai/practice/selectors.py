"""Reads for practice records, always within the user's scope (the portal: `.public()` only)."""

from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from biaoshuai.campaigns.models import Campaign
from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.scope import MANAGE, VIEW
from biaoshuai.org.models import Person, Unit

from .models import (
    Discussion,
    ExemplarStatus,
    Pairing,
    Placement,
    Visit,
    VisitAttachment,
)

# Records shown per kind on the home panel.
HOME_PANEL_ROWS = 5


def discussions_visible_to(*, user, unit=None, date_from=None, date_to=None, exemplar="", q=""):
    records = Discussion.objects.restrict(user, VIEW).select_related("unit")
    records = _filter(records, unit, "held_on", date_from, date_to, exemplar)
    if q:
        records = records.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return records.order_by("-held_on", "-id")


def pairings_visible_to(
    *, user, unit=None, kind="", date_from=None, date_to=None, exemplar="", q=""
):
    records = (
        Pairing.objects.restrict(user, VIEW)
        .select_related("unit", "cadre")
        .annotate(visit_count=_count(Visit.objects.filter(pairing=OuterRef("pk"))))
    )
    records = _filter(records, unit, "starts_on", date_from, date_to, exemplar)
    if kind:
        records = records.filter(paired_kind=kind)
    if q:
        records = records.filter(Q(paired_name__icontains=q) | Q(cadre__name__icontains=q))
    return records.order_by("-starts_on", "-id")


def visits_visible_to(
    *, user, unit=None, kind="", date_from=None, date_to=None, q="", pairing=None
):
    records = (
        Visit.objects.restrict(user, VIEW)
        .select_related("pairing", "pairing__unit", "pairing__cadre")
        .annotate(attachment_count=_count(VisitAttachment.objects.filter(visit=OuterRef("pk"))))
    )
    if pairing is not None:
        records = records.filter(pairing=pairing)
    if unit is not None:
        records = records.filter(pairing__unit__path__subtree=unit.path)
    if kind:
        records = records.filter(pairing__paired_kind=kind)
    if date_from:
        records = records.filter(visited_on__gte=date_from)
    if date_to:
        records = records.filter(visited_on__lte=date_to)
    if q:
        records = records.filter(
            Q(pairing__paired_name__icontains=q)
            | Q(pairing__cadre__name__icontains=q)
            | Q(activities__icontains=q)
        )
    return records.order_by("-visited_on", "-id")


def placements_visible_to(
    *, user, unit=None, kind="", date_from=None, date_to=None, exemplar="", q=""
):
    records = Placement.objects.restrict(user, VIEW).select_related("unit", "cadre")
    records = _filter(records, unit, "starts_on", date_from, date_to, exemplar)
    if kind:
        records = records.filter(kind=kind)
    if q:
        records = records.filter(Q(host__icontains=q) | Q(cadre__name__icontains=q))
    return records.order_by("-starts_on", "-id")


def discussion_detail(*, discussion):
    """The discussion's answers in the template's order, with each question's text."""
    questions = discussion.campaign.choices("discussion_questions")
    answers = dict(discussion.answers.values_list("question_key", "text"))
    return [(key, name, answers.get(key, "")) for key, name in questions]


def discussion_participants(*, discussion):
    return discussion.participants.select_related("unit").order_by("unit__path", "name")


def pairing_visits(*, pairing):
    return pairing.visits.prefetch_related("attachments").order_by("-visited_on", "-id")


def participant_choices(*, user, unit=None):
    """Cadres in post a discussion may list: within the user's managing scope (and the
    discussion's unit's subtree, when it is known)."""
    people = Person.objects.restrict(user, MANAGE).filter(is_active=True).select_related("unit")
    if unit is not None:
        people = people.filter(unit__path__subtree=unit.path)
    return people.order_by("unit__path", "name")


def cadre_choices(*, user):
    """Cadres in post for whom the user may record a pairing or a placement."""
    return (
        Person.objects.restrict(user, MANAGE)
        .filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def own_person(*, user):
    """The cadre record linked to the user's login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user, is_active=True).select_related("unit").first()


def campaign_labels(*, campaign_ids, list_key):
    """{campaign id: {item key: name}} for one of the templates' lists, in one query."""
    rows = Campaign.objects.filter(pk__in=set(campaign_ids)).values_list("pk", "config")
    return {
        pk: {
            item["key"]: item["name"] for item in (config or {}).get("lists", {}).get(list_key, [])
        }
        for pk, config in rows
    }


def current_choices(list_key):
    campaign = campaign_current()
    return campaign.choices(list_key) if campaign is not None else []


def public_exemplars(*, kind=""):
    """Confirmed exemplars disclosed to the public, newest first, as rows of one kind shape:
    kind, pk, title, unit name, date, public summary. Only `.public()` records are read."""
    parts = {
        "discussion": Discussion.objects.public().annotate(title_text=F("title"), day=F("held_on")),
        "pairing": Pairing.objects.public().annotate(
            title_text=F("paired_name"), day=F("starts_on")
        ),
        "placement": Placement.objects.public().annotate(title_text=F("host"), day=F("starts_on")),
    }
    if kind in parts:
        parts = {kind: parts[kind]}
    queries = [
        qs.order_by()
        .annotate(record_kind=Value(name, output_field=CharField()))
        .values(
            "record_kind",
            "pk",
            "title_text",
            "unit__name",
            "day",
            "exemplar_summary",
            "exemplar_decided_at",
        )
        for name, qs in parts.items()
    ]
    combined = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return combined.order_by("-exemplar_decided_at", "-pk")


def pending_exemplars_count(*, user):
    """{kind: records awaiting the office's confirmation} within the user's scope."""
    return {
        "discussion": Discussion.objects.restrict(user).pending_confirmation().count(),
        "pairing": Pairing.objects.restrict(user).pending_confirmation().count(),
        "placement": Placement.objects.restrict(user).pending_confirmation().count(),
    }


def recent_records(*, user, person=None):
    """The latest records in the user's scope (or of `person`, a cadre), for the home panel."""
    discussions = Discussion.objects.restrict(user).select_related("unit")
    pairings = Pairing.objects.restrict(user).select_related("cadre")
    placements = Placement.objects.restrict(user).select_related("cadre")
    if person is not None:
        discussions = discussions.filter(participants=person)
        pairings = pairings.filter(cadre=person)
        placements = placements.filter(cadre=person)
    return {
        "discussions": list(discussions.order_by("-held_on", "-id")[:HOME_PANEL_ROWS]),
        "pairings": list(pairings.order_by("-starts_on", "-id")[:HOME_PANEL_ROWS]),
        "placements": list(placements.order_by("-starts_on", "-id")[:HOME_PANEL_ROWS]),
    }


def record_count(*, model, user, campaign=None):
    """Records of `model` in the user's scope for `campaign` (None: the current one)."""
    records = model.objects.restrict(user)
    return _in_campaign(records, campaign, _campaign_lookup(model)).count()


def record_counts_by_unit(*, model, unit_ids, campaign=None):
    """{unit_id: records of `model` in the unit's subtree}, in one query."""
    path = getattr(model, "scope_path", "unit__path")
    inner = _in_campaign(
        model.objects.filter(**{f"{path}__subtree": OuterRef("path")}),
        campaign,
        _campaign_lookup(model),
    )
    rows = Unit.objects.filter(pk__in=list(unit_ids)).annotate(n=_count(inner))
    return dict(rows.values_list("pk", "n"))


def _campaign_lookup(model):
    return "pairing__campaign" if model is Visit else "campaign"


def _in_campaign(records, campaign, lookup):
    """Records of `campaign`, or of the campaign being worked in."""
    return records.filter(**{lookup: campaign or campaign_current()})


def _filter(records, unit, date_field, date_from, date_to, exemplar):
    if unit is not None:
        records = records.filter(unit__path__subtree=unit.path)
    if date_from:
        records = records.filter(**{f"{date_field}__gte": date_from})
    if date_to:
        records = records.filter(**{f"{date_field}__lte": date_to})
    if exemplar == "any":
        records = records.exclude(exemplar_status=ExemplarStatus.NONE)
    elif exemplar in ExemplarStatus.values and exemplar:
        records = records.filter(exemplar_status=exemplar)
    return records


def _count(queryset):
    """A correlated COUNT subquery (no GROUP BY on the outer query)."""
    counts = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)
