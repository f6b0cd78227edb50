"""Reads for study, always within the user's scope."""

import itertools
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.campaigns.selectors import campaign_current  # noqa: F401 (re-exported)
from biaoshuai.core.scope import MANAGE, VIEW, scope_for
from biaoshuai.org.models import Person, Unit

from . import completion
from .models import (
    Attendance,
    Deliverable,
    StudyCompletion,
    StudySession,
    oversight_scope,
)

Status = Attendance.Status
State = Deliverable.State
SORT_FIXED = ("name", completion.COMPLETION, completion.ATTENDANCE, completion.DELIVERABLES)


# Sessions


def sessions_visible_to(*, user, campaign, kind="", when="", now=None):
    """The campaign's sessions the user sees, each with its expected / present / leave /
    absent counts among the cadres within the user's scope."""
    now = now or timezone.now()
    scope = scope_for(user, VIEW)
    within = scope.q("attendances__unit__path")
    sessions = (
        StudySession.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("unit", "campaign")
        .annotate(
            expected_count=Count("attendances", filter=within),
            present_count=Count(
                "attendances", filter=within & Q(attendances__status=Status.PRESENT)
            ),
            leave_count=Count("attendances", filter=within & Q(attendances__status=Status.LEAVE)),
            absent_count=Count("attendances", filter=within & Q(attendances__status=Status.ABSENT)),
        )
        .order_by("-starts_at", "-id")
    )
    if kind:
        sessions = sessions.filter(kind=kind)
    if when == "upcoming":
        sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "id")
    elif when == "past":
        sessions = sessions.filter(ends_at__lt=now)
    return sessions


def session_for(*, user, pk):
    """One session the user sees (None when not), with its campaign and unit."""
    return (
        StudySession.objects.visible_to(user)
        .select_related("unit", "campaign")
        .filter(pk=pk)
        .first()
    )


def session_summary(*, session, user):
    """{status: count} of the attendance rows within the user's scope, and the total."""
    rows = (
        Attendance.objects.restrict(user, VIEW)
        .filter(session=session)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict(rows)
    return {
        "total": sum(counts.values()),
        **{status: counts.get(status, 0) for status in Status.values},
    }


def attendance_for_marking(*, session, user, unit=None, q=""):
    """The expected cadres of `session` whose attendance the user may record."""
    rows = (
        Attendance.objects.restrict(user, MANAGE)
        .filter(session=session)
        .select_related("person", "unit", "marked_by")
    )
    if unit is not None:
        rows = rows.filter(unit__path__subtree=unit.path)
    if q:
        rows = rows.filter(person__name__icontains=q)
    return rows.order_by("unit__path", "person__name", "id")


def own_attendance(*, session, user):
    return Attendance.objects.filter(session=session, person__user=user).first()


# My study


@dataclass
class Owed:
    """A deliverable kind as one cadre owes it in the phase."""

    key: str
    name: str
    count: int
    due_on: object
    items: list
    overdue: bool

    @property
    def accepted(self):
        return sum(1 for d in self.items if d.state == State.ACCEPTED)

    @property
    def missing(self):
        return max(0, self.count - len(self.items))


def person_of(user):
    return Person.objects.filter(user=user).select_related("unit").first()


def my_study(*, user, campaign, now=None):
    """What a cadre attends and owes: their sessions with their attendance, and per kind
    of deliverable what they have written and by when it is due."""
    now = now or timezone.now()
    person = person_of(user)
    if person is None or campaign is None:
        return {"person": person, "campaign": campaign}
    attendances = list(
        Attendance.objects.filter(person=person, session__campaign=campaign)
        .select_related("session")
        .order_by("session__starts_at")
    )
    upcoming = [a for a in attendances if a.session.ends_at >= now]
    past = [a for a in attendances if a.session.ends_at < now][::-1]
    phase = completion.study_phase(campaign, timezone.localdate(now))
    owed = []
    if phase is not None:
        mine = list(
            Deliverable.objects.filter(person=person, campaign=campaign).order_by(
                "created_at", "id"
            )
        )
        today = timezone.localdate(now)
        for item in completion.deliverable_kinds(campaign):
            items = [
                d
                for d in mine
                if d.kind == item["key"] and completion.counts_toward(d, item, phase)
            ]
            count = int(item.get("count_per_cadre", 1))
            due = completion.due_on(phase, item)
            done = sum(1 for d in items if d.state == State.ACCEPTED) >= count
            owed.append(
                Owed(item["key"], item["name"], count, due, items, not done and due < today)
            )
    return {
        "person": person,
        "campaign": campaign,
        "phase": phase,
        "upcoming": upcoming,
        "past": past,
        "owed": owed,
        "now": now,
        "present": sum(1 for a in past if a.status == Status.PRESENT),
    }


# Deliverables


def deliverables_for_review(*, user, campaign, state="", kind="", unit=None, q=""):
    """Deliverables of the cadres the user oversees (not the user's own)."""
    scope = oversight_scope(user)
    if scope.empty or campaign is None:
        return Deliverable.objects.none()
    items = (
        Deliverable.objects.filter(campaign=campaign)
        .filter(scope.q("unit__path"))
        .exclude(state=State.DRAFT)
        .exclude(person__user_id=user.pk)
        .select_related("person", "unit", "campaign", "phase")
    )
    if state:
        items = items.filter(state=state)
    if kind:
        items = items.filter(kind=kind)
    if unit is not None:
        items = items.filter(unit__path__subtree=unit.path)
    if q:
        items = items.filter(Q(person__name__icontains=q) | Q(title__icontains=q))
    return items.order_by("-submitted_at", "-id")


def deliverable_for(*, user, pk):
    return (
        Deliverable.objects.visible_to(user)
        .select_related("person", "person__unit", "unit", "campaign", "phase", "reviewed_by")
        .prefetch_related("events__actor")
        .filter(pk=pk)
        .first()
    )


def review_counts(*, user, campaign):
    """{state: count} of the deliverables the user oversees (awaiting review, returned)."""
    scope = oversight_scope(user)
    if scope.empty or campaign is None:
        return {}
    rows = (
        Deliverable.objects.filter(campaign=campaign)
        .filter(scope.q("unit__path"))
        .exclude(person__user_id=user.pk)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


# Completion matrix


@dataclass
class Column:
    key: str
    label: str
    kind: str  # "total", "session" or "deliverable"
    sub: str = ""


def matrix_columns(*, user, campaign):
    """The matrix's columns: the totals, each session the user sees (oldest first), each
    deliverable kind."""
    columns = [
        Column(completion.COMPLETION, _("Completion"), "total"),
        Column(completion.ATTENDANCE, _("Attendance"), "total"),
        Column(
            completion.DELIVERABLES,
            campaign.label("study.deliverable_rate", _("Deliverables")),
            "total",
        ),
    ]
    kinds = dict(campaign.choices("study_kinds"))
    sessions = (
        StudySession.objects.visible_to(user)
        .filter(campaign=campaign)
        .only("pk", "title", "kind", "starts_at")
        .order_by("starts_at", "id")
    )
    for session in sessions:
        columns.append(
            Column(
                completion.session_column(session.pk),
                session.title,
                "session",
                f"{kinds.get(session.kind, '')} {timezone.localtime(session.starts_at):%m-%d}",
            )
        )
    for item in completion.deliverable_kinds(campaign):
        columns.append(Column(completion.kind_column(item["key"]), item["name"], "deliverable"))
    return columns


def matrix_units(*, user, campaign, sort="", columns=()):
    """The units the user oversees, ordered by `sort` (a column key or "name", "-" for
    descending); each carries `sort_rate` from the snapshot."""
    scope = oversight_scope(user)
    if scope.empty:
        return Unit.objects.none()
    descending = sort.startswith("-")
    key = sort.lstrip("-") or "name"
    if key != "name" and key not in {c.key for c in columns}:
        key = "name"
    units = Unit.objects.filter(is_active=True).filter(scope.q("path")).select_related("parent")
    if key == "name":
        return units.order_by("-path" if descending else "path")
    rate = StudyCompletion.objects.filter(
        campaign=campaign, unit=OuterRef("pk"), column=key
    ).values("rate")[:1]
    units = units.annotate(sort_rate=Subquery(rate))
    order = (
        F("sort_rate").desc(nulls_last=True) if descending else F("sort_rate").asc(nulls_last=True)
    )
    return units.order_by(order, "path")


def matrix_cells(*, campaign, units):
    """{unit_id: {column: StudyCompletion}} for the given units, in one query."""
    cells = {}
    for figure in StudyCompletion.objects.filter(campaign=campaign, unit__in=[u.pk for u in units]):
        cells.setdefault(figure.unit_id, {})[figure.column] = figure
    return cells


def matrix_export_rows(*, user, campaign, columns):
    """Every unit the user oversees with its figures, streamed in tree order."""
    scope = oversight_scope(user)
    if scope.empty:
        return
    units = (
        Unit.objects.filter(is_active=True)
        .filter(scope.q("path"))
        .order_by("path")
        .values_list("pk", "name", "depth")
    )
    figures = (
        StudyCompletion.objects.filter(campaign=campaign, unit__is_active=True)
        .filter(scope.q("unit__path"))
        .order_by("unit__path")
        .values_list("unit_id", "column", "rate")
    )
    grouped = itertools.groupby(figures.iterator(chunk_size=5000), key=lambda row: row[0])
    pending = next(grouped, None)
    for pk, name, depth in units.iterator(chunk_size=2000):
        cells = {}
        if pending is not None and pending[0] == pk:
            cells = {column: rate for _u, column, rate in pending[1]}
            pending = next(grouped, None)
        yield ["　" * depth + name, *[cells.get(c.key) for c in columns]]


def unit_cadres(*, user, campaign, unit, now=None):
    """The cadres of `unit` and its subtree with their attendance (held sessions) and their
    deliverables in the study phase."""
    now = now or timezone.now()
    phase = completion.study_phase(campaign, timezone.localdate(now))
    once = [i["key"] for i in completion.deliverable_kinds(campaign) if completion.per_campaign(i)]
    held = Attendance.objects.filter(
        person=OuterRef("pk"), session__campaign=campaign, session__starts_at__lte=now
    )
    people = (
        Person.objects.restrict(user, VIEW)
        .filter(unit__path__subtree=unit.path, is_active=True)
        .select_related("unit")
        .annotate(
            expected_count=Coalesce(Subquery(_count(held)), 0),
            present_count=Coalesce(Subquery(_count(held.filter(status=Status.PRESENT))), 0),
            leave_count=Coalesce(Subquery(_count(held.filter(status=Status.LEAVE))), 0),
        )
        .prefetch_related(
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.filter(
                    Q(phase=phase) | Q(campaign=campaign, kind__in=once)
                ).order_by("created_at"),
                to_attr="phase_deliverables",
            )
        )
        .order_by("unit__path", "name", "id")
    )
    return people, phase


def _count(queryset):
    return queryset.order_by().values("person").annotate(n=Count("id")).values("n")
