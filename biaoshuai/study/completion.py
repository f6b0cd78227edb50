"""Completion figures: computed for every unit (with its subtree) into StudyCompletion.

Definitions (per unit, counting the cadres of the unit and of every unit below it):
- attendance rate = present / expected × 100, over the Attendance rows of the campaign's
  sessions that have started (a leave counts as not present);
- a session's column: the same, for that session; a study kind's column: the same, for the
  sessions of that kind (the figure `study.kind_attendance_rate` with the kind as param);
- deliverable rate = accepted / owed × 100 for the study phase, where owed = active cadres ×
  the sum of count_per_cadre over the deliverable kinds; a kind's column: the same per kind
  (a kind owed once per campaign, `per: campaign`, counts what was accepted in any phase);
- completion rate = the mean of the attendance rate and the deliverable rate (either alone
  when the other has nothing expected yet).

Reading many units' figures live from millions of attendance rows is too slow for a page,
so a task refreshes the snapshot when attendance or reviews change (and on demand).
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from biaoshuai.campaigns.template import add_months
from biaoshuai.org.models import Person, Unit

from .models import Attendance, Deliverable, StudyCompletion, oversight_scope

ATTENDANCE = StudyCompletion.ATTENDANCE
DELIVERABLES = StudyCompletion.DELIVERABLES
COMPLETION = StudyCompletion.COMPLETION
BATCH = 5000


def session_column(session_id):
    return f"session:{session_id}"


def kind_column(kind):
    return f"kind:{kind}"


def study_kind_column(study_kind):
    """The attendance of the sessions of one study kind (a key of study_kinds)."""
    return f"study_kind:{study_kind}"


def study_phase(campaign, today=None):
    """The phase deliverables are owed for: the current one, else the last begun, else the
    first."""
    today = today or timezone.localdate()
    phases = list(campaign.phases.all())
    begun = [p for p in phases if p.starts_on <= today]
    current = [p for p in begun if today <= p.ends_on]
    return (current or begun[-1:] or phases[:1] or [None])[0]


def per_campaign(kind_item):
    """Whether a deliverable kind is owed once for the whole campaign (`per: campaign`)
    rather than once in each phase (the default)."""
    return kind_item.get("per", "phase") == "campaign"


def due_on(phase, kind_item):
    """A kind's due date: the last day of month `due_month`, or day `due_day`, counted from 1
    from the start of the phase (of the campaign for a kind owed once per campaign); at the
    latest the phase's (the campaign's) last day."""
    span = phase.campaign if per_campaign(kind_item) else phase
    if "due_day" in kind_item:
        due = span.starts_on + timedelta(days=int(kind_item["due_day"]) - 1)
    else:
        due = add_months(span.starts_on, int(kind_item.get("due_month", 1))) - timedelta(days=1)
    return min(due, span.ends_on)


def counts_toward(deliverable, kind_item, phase):
    """Whether `deliverable` counts toward what is owed of its kind in `phase`."""
    return per_campaign(kind_item) or deliverable.phase_id == phase.pk


def deliverable_kinds(campaign):
    return list(campaign.config.get("lists", {}).get("deliverable_kinds", []))


@transaction.atomic
def study_completion_refresh(*, campaign, now=None):
    """Recompute every unit's figures for `campaign`; returns the number of figures."""
    now = now or timezone.now()
    ancestors = {pk: _ids(path) for pk, path in Unit.objects.values_list("pk", "path")}
    totals = defaultdict(lambda: [0, 0])

    def add(unit_id, column, expected, done):
        for ancestor in ancestors.get(unit_id, ()):
            cell = totals[(ancestor, column)]
            cell[0] += expected
            cell[1] += done

    attendance = (
        Attendance.objects.filter(session__campaign=campaign, session__starts_at__lte=now)
        .values("unit_id", "session_id", "session__kind")
        .annotate(
            expected=Count("id"), present=Count("id", filter=Q(status=Attendance.Status.PRESENT))
        )
        .order_by()
    )
    for row in attendance:
        add(row["unit_id"], session_column(row["session_id"]), row["expected"], row["present"])
        add(
            row["unit_id"], study_kind_column(row["session__kind"]), row["expected"], row["present"]
        )
        add(row["unit_id"], ATTENDANCE, row["expected"], row["present"])

    phase = study_phase(campaign, timezone.localdate(now))
    items = deliverable_kinds(campaign)
    kinds = {item["key"]: int(item.get("count_per_cadre", 1)) for item in items}
    once = [item["key"] for item in items if per_campaign(item)]
    if phase is not None and kinds:
        per_cadre = sum(kinds.values())
        cadres = (
            Person.objects.filter(is_active=True)
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in cadres:
            for kind, count in kinds.items():
                add(row["unit_id"], kind_column(kind), row["n"] * count, 0)
            add(row["unit_id"], DELIVERABLES, row["n"] * per_cadre, 0)
        accepted = (
            Deliverable.objects.filter(
                Q(phase=phase) | Q(campaign=campaign, kind__in=once),
                state=Deliverable.State.ACCEPTED,
                kind__in=list(kinds),
                person__is_active=True,
            )
            .values("unit_id", "kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in accepted:
            add(row["unit_id"], kind_column(row["kind"]), 0, row["n"])
            add(row["unit_id"], DELIVERABLES, 0, row["n"])

    rows = []
    rates = defaultdict(dict)
    for (unit_id, column), (expected, done) in totals.items():
        if not expected:
            continue
        rate = done * 100 / expected
        rows.append(_figure(campaign, unit_id, column, expected, done, round(rate, 2), now))
        if column in (ATTENDANCE, DELIVERABLES):
            rates[unit_id][column] = rate
    for unit_id, pair in rates.items():
        rate = round(sum(pair.values()) / len(pair), 2)
        rows.append(_figure(campaign, unit_id, COMPLETION, 0, 0, rate, now))
    StudyCompletion.objects.filter(campaign=campaign).delete()
    StudyCompletion.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def computed_at(*, campaign):
    """When the campaign's figures were last computed (None: never)."""
    row = StudyCompletion.objects.filter(campaign=campaign).only("computed_at").first()
    return row.computed_at if row else None


def figures_by_unit(*, campaign, unit_ids, column):
    """{unit_id: rate} of one column for the given units, in one query."""
    return dict(
        StudyCompletion.objects.filter(
            campaign=campaign, unit_id__in=list(unit_ids), column=column
        ).values_list("unit_id", "rate")
    )


def figure_for_user(*, user, campaign, column):
    """The rate of `column` over the user's whole scope (the top units of it), or None."""
    scope = oversight_scope(user)
    if scope.empty or campaign is None:
        return None
    figures = StudyCompletion.objects.filter(campaign=campaign)
    if scope.all:
        figures = figures.filter(unit__parent__isnull=True)
    else:
        figures = figures.filter(unit__path__in=scope.paths)
    sums = {
        row["column"]: row
        for row in figures.filter(column__in={ATTENDANCE, DELIVERABLES, column})
        .values("column")
        .annotate(expected=Sum("expected"), done=Sum("done"))
        .order_by()
    }
    rates = {
        key: row["done"] * 100 / row["expected"] for key, row in sums.items() if row["expected"]
    }
    if column == COMPLETION:
        return round(sum(rates.values()) / len(rates), 2) if rates else None
    return round(rates[column], 2) if column in rates else None


def _figure(campaign, unit_id, column, expected, done, rate, now):
    return StudyCompletion(
        campaign=campaign,
        unit_id=unit_id,
        column=column,
        expected=expected,
        done=done,
        rate=rate,
        computed_at=now,
    )


def _ids(path):
    return [int(segment) for segment in path.split("/") if segment]
