"""Reads: opinion lists within the user's scope, lookup by tracking code, groupings."""

from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils import timezone

from biaoshuai.core.scope import VIEW, scope_for
from biaoshuai.rectification.selectors import problems_for_sources

from .codes import code_hash, code_normalize, submission_key
from .grouping import SAMPLE_CHARS, words
from .models import GroupingRun, GroupMember, Opinion, OpinionGroup, PublicSubmission

# Boxes of the list: what the office and the units work through.
BOXES = {
    "unassigned": Q(state=Opinion.State.NEW),
    "review": Q(state=Opinion.State.REPLIED),
    "to_sign": Q(state=Opinion.State.ASSIGNED),
    "to_reply": Q(state__in=[Opinion.State.SIGNED, Opinion.State.RETURNED, Opinion.State.REOPENED]),
    "returned": Q(state__in=[Opinion.State.RETURNED, Opinion.State.REOPENED]),
}


def opinion_list(
    *, user, campaign=None, box="", state="", channel="", unit=None, overdue=False, q=""
):
    """The opinions the user may see, newest first, filtered."""
    opinions = Opinion.objects.restrict(user, VIEW).select_related("unit", "unit_concerned")
    if campaign is not None:
        opinions = opinions.filter(campaign=campaign)
    if box in BOXES:
        opinions = opinions.filter(BOXES[box])
    if state:
        opinions = opinions.filter(state=state)
    if channel:
        opinions = opinions.filter(channel=channel)
    if unit is not None:
        opinions = opinions.filter(unit__path__subtree=unit.path)
    if overdue:
        opinions = opinions.overdue()
    if q:
        opinions = opinions.filter(content__icontains=q)
    return opinions.order_by("-received_on", "-id")


# The states each box holds, for counting them from one count grouped by state.
BOX_STATES = {
    "unassigned": (Opinion.State.NEW,),
    "review": (Opinion.State.REPLIED,),
    "to_sign": (Opinion.State.ASSIGNED,),
    "to_reply": (Opinion.State.SIGNED, Opinion.State.RETURNED, Opinion.State.REOPENED),
    "returned": (Opinion.State.RETURNED, Opinion.State.REOPENED),
}


def opinion_counts(*, user, campaign=None):
    """{box: count} within the user's scope, plus "overdue" and "all": one count grouped by
    state (a handful of rows) over the scoped opinions, the boxes summed from it."""
    today = timezone.localdate()
    opinions = Opinion.objects.restrict(user, VIEW)
    if campaign is not None:
        opinions = opinions.filter(campaign=campaign)
    rows = (
        opinions.order_by()
        .values_list("state")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today)))
    )
    by_state = {state: (n, late) for state, n, late in rows}
    counts = {
        box: sum(by_state.get(state, (0, 0))[0] for state in states)
        for box, states in BOX_STATES.items()
    }
    counts["overdue"] = sum(by_state.get(state, (0, 0))[1] for state in Opinion.WAITING_FOR_UNIT)
    counts["all"] = sum(n for n, _late in by_state.values())
    return counts


def opinion_by_submission(*, token):
    """The opinion already sent with the public form's one-time `token`, or None."""
    submission = (
        PublicSubmission.objects.filter(key=submission_key(token), opinion__isnull=False)
        .select_related("opinion")
        .first()
    )
    return submission.opinion if submission else None


def opinion_by_code(*, code):
    """The one opinion whose tracking code this is, or None. Only an exact code matches."""
    normalized = code_normalize(code)
    if not normalized:
        return None
    return (
        Opinion.objects.select_related("campaign", "unit")
        .filter(tracking_code_hash=code_hash(normalized))
        .first()
    )


def opinions_public():
    """Summaries the office disclosed to the public (for the portal)."""
    return Opinion.objects.public().select_related("unit").order_by("-closed_at", "-id")


def grouping_latest(*, campaign):
    """The most recent finished grouping of the campaign, and whether a newer one is pending."""
    runs = GroupingRun.objects.filter(campaign=campaign)
    done = runs.filter(state=GroupingRun.State.DONE).order_by("-computed_at", "-id").first()
    pending = runs.filter(state=GroupingRun.State.PENDING).exists()
    return done, pending


def groups_visible_to(*, user, run, dimension="", kind=""):
    """The run's groups that have members within the user's scope, with how many are visible.

    `kind` ("opinion" or "self_check") keeps the groups that hold at least one such item.
    """
    if kind:
        with_kind = GroupMember.objects.filter(group__run=run, kind=kind).values("group_id")
    if scope_for(user, VIEW).all:
        groups = OpinionGroup.objects.filter(run=run).annotate(visible=F("size"))
        groups = groups.order_by("-size", "id")
        if kind:
            groups = groups.filter(pk__in=with_kind)
        return groups.filter(dimension=dimension) if dimension else groups
    members = GroupMember.objects.restrict(user, VIEW).filter(group__run=run)
    groups = (
        OpinionGroup.objects.filter(run=run, pk__in=members.values("group_id"))
        .annotate(
            visible=Count("members", filter=Q(members__in=members.values("pk")), distinct=True)
        )
        .order_by("-size", "id")
    )
    if dimension:
        groups = groups.filter(dimension=dimension)
    if kind:
        groups = groups.filter(pk__in=with_kind)
    return groups


def groups_shown(*, user, groups):
    """The groups as `user` may see them: keywords and sample from their own members only.

    A group's stored keywords and sample come from every member, whatever its unit. For a
    user who does not see every unit, the keywords are kept only where they occur in a
    member within the user's scope, and the sample is the first such member's text, so
    nothing of another unit's opinions shows (one query for the whole page of groups).
    """
    groups = list(groups)
    if not groups or scope_for(user, VIEW).all:
        return groups
    texts = defaultdict(list)
    visible = (
        GroupMember.objects.restrict(user, VIEW)
        .filter(group__in=[g.pk for g in groups])
        .order_by("pk")
        .values_list("group_id", "text")
    )
    for group_id, text in visible:
        texts[group_id].append(text)
    for group in groups:
        seen = texts.get(group.pk, [])
        present = set()
        for text in seen:
            present.update(words(text))
        group.keywords = [word for word in group.keywords if word in present]
        group.sample = seen[0][:SAMPLE_CHARS] if seen else ""
    return groups


def group_visible_or_none(*, user, pk):
    members = GroupMember.objects.restrict(user, VIEW)
    return (
        OpinionGroup.objects.select_related("run__campaign")
        .filter(pk=pk, pk__in=members.values("group_id"))
        .first()
    )


def group_members(*, user, group):
    return (
        GroupMember.objects.restrict(user, VIEW)
        .filter(group=group)
        .select_related("unit")
        .order_by("pk")
    )


def problems_for(*, kind, source_ids):
    """{source_id: [problems]} from the rectification app."""
    if not source_ids:
        return {}
    found = problems_for_sources(kind=kind, source_ids=list(source_ids))
    # Sources may be keyed by text: answer with the integer ids that were asked for.
    return {int(source_id): problems for source_id, problems in found.items()}
