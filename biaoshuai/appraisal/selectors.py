"""Reads for self-checks and democratic appraisals, always within the reader's scope.

Other apps read self-check findings through `self_check_findings` (personal rectification
plans, grouping of problems); they never query this app's models themselves.
"""

from fractions import Fraction

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.permissions import is_leading_group, is_office
from biaoshuai.core.scope import MANAGE, VIEW, scope_for
from biaoshuai.org.models import Person, Unit

from .models import Appraisal, Participant, PeerAssessment, SelfCheck, SelfCheckFinding


def self_check_findings(*, person=None, campaign=None, units=None, submitted_only=True):
    """Findings (`.dimension`, `.text`, `.self_check.person/unit/campaign`) in one query.

    `person` narrows to one cadre, `campaign` to one campaign, `units` (Unit objects or
    ids) to self-checks made in those units. Only submitted self-checks count unless
    `submitted_only=False` (a cadre's own drafts).
    """
    findings = SelfCheckFinding.objects.select_related(
        "self_check", "self_check__person", "self_check__unit", "self_check__campaign"
    )
    if person is not None:
        findings = findings.filter(self_check__person=person)
    if campaign is not None:
        findings = findings.filter(self_check__campaign=campaign)
    if units is not None:
        findings = findings.filter(self_check__unit__in=list(units))
    if submitted_only:
        findings = findings.filter(self_check__state=SelfCheck.State.SUBMITTED)
    return findings.order_by("self_check__unit__path", "self_check__person__name", "order", "id")


def self_check_form_items(*, campaign):
    """The self-check's items with the reference entries to rate: [{key, name, title,
    intro, entries: [text]}] from `self_check_items` and the `reference` they name."""
    references = {r["key"]: r for r in campaign.config.get("reference", [])}
    items = []
    for item in campaign.config.get("lists", {}).get("self_check_items", []):
        reference = references.get(item.get("reference"), {})
        entries = [_entry_text(entry) for entry in reference.get("items", [])]
        items.append(
            {
                "key": item["key"],
                "name": item["name"],
                "title": reference.get("title", item["name"]),
                "intro": reference.get("intro", ""),
                "entries": entries,
            }
        )
    return items


def problem_dimensions(*, campaign):
    return campaign.choices("problem_dimensions")


def self_check_for(*, person, campaign):
    """The cadre's self-check in the campaign with its findings, or None."""
    return (
        SelfCheck.objects.filter(person=person, campaign=campaign)
        .select_related("person", "unit", "campaign")
        .prefetch_related("findings")
        .first()
    )


def oversight_action(user):
    """Those who oversee self-checks and appraisals: the office and the leading group see
    every unit (VIEW); a liaison sees the units they manage (MANAGE), not those where they
    are only a cadre."""
    return VIEW if is_office(user) or is_leading_group(user) else MANAGE


def can_oversee(user):
    return user.is_authenticated and not scope_for(user, oversight_action(user)).empty


def self_check_unit_rates(*, user, campaign):
    """Units the user oversees, each with `cadre_total`, `submitted` and `drafts` counted
    over its subtree (cadres in post), in one query."""
    units = Unit.objects.restrict(user, oversight_action(user)).filter(is_active=True)
    checks = SelfCheck.objects.filter(
        campaign=campaign, person__is_active=True, person__unit__path__subtree=OuterRef("path")
    )
    return units.annotate(
        cadre_total=_count(
            Person.objects.filter(is_active=True, unit__path__subtree=OuterRef("path"))
        ),
        submitted=_count(checks.filter(state=SelfCheck.State.SUBMITTED)),
        drafts=_count(checks.filter(state=SelfCheck.State.DRAFT)),
    ).order_by("path")


def self_check_roster(*, user, campaign, unit):
    """The cadres in post of `unit`'s subtree, each with `check_state` and `check_id`
    (None when they have not started), in one query. `unit` must be in scope."""
    own = SelfCheck.objects.filter(campaign=campaign, person=OuterRef("pk"))
    return (
        Person.objects.restrict(user, oversight_action(user))
        .filter(is_active=True, unit__path__subtree=unit.path)
        .select_related("unit")
        .annotate(
            check_state=Subquery(own.values("state")[:1]),
            check_id=Subquery(own.values("pk")[:1]),
            check_submitted_at=Subquery(own.values("submitted_at")[:1]),
        )
        .order_by("unit__path", "name", "id")
    )


def self_check_visible(*, user, pk):
    """A self-check the user oversees, or the user's own; raises DoesNotExist otherwise."""
    checks = SelfCheck.objects.select_related("person", "unit", "campaign").prefetch_related(
        "findings"
    )
    own = checks.filter(pk=pk, person__user=user)
    found = own.first() or checks.restrict(user, oversight_action(user)).filter(pk=pk).first()
    if found is None:
        raise SelfCheck.DoesNotExist
    return found


def self_check_rate(*, campaign, unit_paths=None, all_units=False):
    """Percentage of cadres in post (in the given subtrees, or everywhere) who have
    submitted their self-check; None when there are no cadres."""
    people = Person.objects.filter(is_active=True)
    checks = SelfCheck.objects.filter(
        campaign=campaign, state=SelfCheck.State.SUBMITTED, person__is_active=True
    )
    if not all_units:
        people = people.filter(_paths_q("unit__path", unit_paths or ()))
        checks = checks.filter(_paths_q("person__unit__path", unit_paths or ()))
    total = people.count()
    if not total:
        return None
    return checks.count() / total * 100


def self_check_rate_by_unit(*, campaign, unit_ids):
    """{unit_id: percentage of cadres in post in its subtree who submitted}, in one query."""
    rows = (
        Unit.objects.filter(pk__in=list(unit_ids))
        .annotate(
            total=_count(
                Person.objects.filter(is_active=True, unit__path__subtree=OuterRef("path"))
            ),
            done=_count(
                SelfCheck.objects.filter(
                    campaign=campaign,
                    state=SelfCheck.State.SUBMITTED,
                    person__is_active=True,
                    person__unit__path__subtree=OuterRef("path"),
                )
            ),
        )
        .values_list("pk", "total", "done")
    )
    return {pk: (done / total * 100 if total else None) for pk, total, done in rows}


# Democratic appraisal


def appraisal_list(*, user, campaign=None):
    """Appraisals of the units the user oversees, with participant and grading counts."""
    appraisals = Appraisal.objects.restrict(user, oversight_action(user)).select_related("unit")
    if campaign is not None:
        appraisals = appraisals.filter(campaign=campaign)
    return appraisals.annotate(
        participant_total=Count("participants", distinct=True),
        graded=Count("participants", filter=~Q(participants__grade=""), distinct=True),
    ).order_by("-period", "unit__path", "id")


def appraisal_detail(*, user, pk):
    """An appraisal the user oversees, with its participants and their peer-grade counts."""
    appraisal = (
        Appraisal.objects.restrict(user, oversight_action(user))
        .select_related("unit", "campaign")
        .get(pk=pk)
    )
    return appraisal


def appraisal_participants(*, appraisal):
    """Participants with `peer_total` and the peers' count per grade as `peer_<key>`, in
    one query (the assessors are never read)."""
    annotations = {"peer_total": Count("peer_assessments")}
    for key, _name in grade_choices(campaign=appraisal.campaign):
        annotations[f"peer_{key}"] = Count(
            "peer_assessments", filter=Q(peer_assessments__grade=key)
        )
    return (
        Participant.objects.filter(appraisal=appraisal)
        .select_related("person", "person__unit")
        .annotate(**annotations)
        .order_by("person__unit__path", "person__name", "id")
    )


def appraisal_voters_count(*, appraisal):
    """How many cadres have handed in their peer ballot (not who)."""
    return (
        PeerAssessment.objects.filter(participant__appraisal=appraisal)
        .values("assessor_id")
        .distinct()
        .count()
    )


def appraisal_progress(*, appraisal, participants=None, voters=None):
    """How far the assessment has come: ballots and self-assessments handed in, of how many.

    A page that has loaded the participants and the voters' count passes them: no query."""
    if participants is None:
        participants = Participant.objects.filter(appraisal=appraisal).only("self_assessed_at")
    if voters is None:
        voters = appraisal_voters_count(appraisal=appraisal)
    participants = list(participants)
    total = len(participants)
    selves = sum(1 for p in participants if p.self_assessed_at is not None)
    return {
        "total": total,
        "voters": voters,
        "selves": selves,
        "complete": voters >= total and selves >= total,
    }


def my_appraisals(*, person):
    """The appraisals the cadre takes part in, each with `me` (their participant row),
    `has_voted`, in two queries."""
    participations = (
        Participant.objects.in_campaign()
        .filter(person=person)
        .select_related("appraisal", "appraisal__unit", "appraisal__campaign")
    )
    voted = set(
        PeerAssessment.objects.filter(assessor=person)
        .values_list("participant__appraisal_id", flat=True)
        .distinct()
    )
    rows = []
    for me in participations.order_by("-appraisal__period", "appraisal_id"):
        appraisal = me.appraisal
        appraisal.me = me
        appraisal.has_voted = appraisal.pk in voted
        rows.append(appraisal)
    return rows


def my_participation(*, person, appraisal_pk):
    """The cadre's own participant row in an appraisal; DoesNotExist when not a participant."""
    return Participant.objects.select_related(
        "appraisal", "appraisal__unit", "appraisal__campaign", "person"
    ).get(appraisal_id=appraisal_pk, person=person)


def peer_ballot_targets(*, participant):
    """The colleagues a participant grades: everyone in the appraisal but themselves."""
    return (
        Participant.objects.filter(appraisal_id=participant.appraisal_id)
        .exclude(pk=participant.pk)
        .select_related("person", "person__unit")
        .order_by("person__unit__path", "person__name", "id")
    )


def has_voted(*, appraisal, person):
    return PeerAssessment.objects.filter(participant__appraisal=appraisal, assessor=person).exists()


def peer_summary(*, participant):
    """[(grade key, name, count, percent)] of the peers' grades for one participant."""
    counts = dict(
        PeerAssessment.objects.filter(participant=participant)
        .values_list("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    total = sum(counts.values())
    return [
        (key, name, counts.get(key, 0), counts.get(key, 0) / total * 100 if total else 0)
        for key, name in grade_choices(campaign=participant.appraisal.campaign)
    ], total


def managed_results(*, user, person):
    """The published appraisal results of `person` that `user` may see as their manager."""
    return (
        Participant.objects.restrict(user, oversight_action(user))
        .filter(person=person)
        .select_related("appraisal", "appraisal__unit")
    )


def grade_choices(*, campaign):
    return campaign.choices("appraisal_grades")


def grade_limits(*, campaign):
    """{grade key: Fraction} for the grades that carry a `max_share` in the template."""
    limits = {}
    for item in campaign.config.get("lists", {}).get("appraisal_grades", []):
        if item.get("max_share") not in (None, ""):
            limits[item["key"]] = Fraction(str(item["max_share"]))
    return limits


def current_campaign():
    return campaign_current()


def _entry_text(entry):
    if isinstance(entry, dict):
        name, text = entry.get("name", ""), entry.get("text", "")
        return f"{name}：{text}" if name and text else name or text
    return str(entry)


def _paths_q(lookup, paths):
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{lookup}__subtree": path})
    return query


def _count(queryset):
    counts = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)
