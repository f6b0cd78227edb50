"""Writes for finding problems: asking for a new grouping, turning items into a problem."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.rectification.services import problem_create

from . import tasks
from .grouping import grouping_compute
from .models import GroupingRun
from .selectors import problems_for

# A run still pending after this long is taken to have failed; a new one may start.
PENDING_STALE = timedelta(minutes=30)
NO_ITEMS = _("Choose at least one item.")
UNIT_OUT_OF_SCOPE = _("You cannot add a problem for that unit.")
LABEL_CHARS = 60


@transaction.atomic
def grouping_request(*, campaign, by):
    """Queue a grouping of the campaign's opinions and findings (one at a time)."""
    pending = (
        GroupingRun.objects.filter(
            campaign=campaign,
            state=GroupingRun.State.PENDING,
            requested_at__gte=timezone.now() - PENDING_STALE,
        )
        .order_by("-requested_at")
        .first()
    )
    if pending is not None:
        return pending
    run = GroupingRun.objects.create(campaign=campaign, requested_by=by)
    audit_record(actor=by, action="create", obj=run, object_repr=str(run))
    transaction.on_commit(lambda: tasks.opinions_group.enqueue(run_id=run.pk))
    return run


def grouping_run_now(*, campaign, by):
    """Group at once, in this process (the demo loader and the benchmark)."""
    run = GroupingRun.objects.create(campaign=campaign, requested_by=by)
    grouping_compute(run_id=run.pk)
    run.refresh_from_db()
    return run


def problem_from_members(*, by, campaign, unit, dimension, description, members):
    """A problem of `unit`, linked to every chosen opinion and self-check finding."""
    if not members:
        raise ValidationError(NO_ITEMS)
    if not scope_for(by, MANAGE).covers(unit):
        raise ValidationError(UNIT_OUT_OF_SCOPE)
    sources = [
        (m.kind, m.source_id, m.text[:LABEL_CHARS]) for m in sorted(members, key=lambda m: m.pk)
    ]
    return problem_create(
        by=by,
        unit=unit,
        campaign=campaign,
        dimension=dimension,
        description=description,
        sources=sources,
    )


def member_problems(*, members):
    """{(kind, source_id): [problems]} for the given group members (one call per kind)."""
    out = {}
    members = list(members)
    for kind in sorted({m.kind for m in members}):
        ids = [m.source_id for m in members if m.kind == kind]
        for source_id, problems in problems_for(kind=kind, source_ids=ids).items():
            out[(kind, source_id)] = problems
    return out
