"""Writes for the problem list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.core.disclosure import Disclosure, disclosure_apply

from ..models import Problem, ProblemSource, Severity

DIMENSION_UNKNOWN = _("Choose one of the campaign's problem dimensions.")
AREA_UNKNOWN = _("Choose one of the campaign's problem areas.")
SOURCE_KIND_UNKNOWN = _("Unknown kind of source “%(kind)s”.")
PROBLEM_FIELDS = ["unit", "dimension", "area", "description", "severity", "disclosure"]
AUDITED_FIELDS = [*PROBLEM_FIELDS, "disclosure_proposed"]


@transaction.atomic
def problem_create(
    *,
    by,
    unit,
    campaign,
    dimension,
    description,
    severity=Severity.GENERAL,
    area="",
    disclosure=Disclosure.RESTRICTED,
    sources=(),
):
    """A problem on `unit`'s list, with its sources: (kind, source_id, label) tuples.

    A problem given no source is recorded as entered directly. The office sets its
    disclosure level; anyone else's level is a proposal (the problem stays 不公开).
    """
    problem = Problem(
        campaign=campaign,
        unit=unit,
        dimension=dimension,
        area=area or "",
        description=description.strip(),
        severity=severity,
        disclosure=Disclosure.RESTRICTED,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    disclosure_apply(problem, disclosure, by=by)
    _check_keys(problem)
    problem.full_clean()
    problem.save()
    rows = [
        ProblemSource(problem=problem, kind=kind, source_id=str(source_id or ""), label=label or "")
        for kind, source_id, label in (sources or [(ProblemSource.Kind.DIRECT, "", "")])
    ]
    for row in rows:
        if row.kind not in ProblemSource.Kind.values:
            raise ValidationError(SOURCE_KIND_UNKNOWN % {"kind": row.kind})
        row.full_clean(exclude=["problem"])
    ProblemSource.objects.bulk_create(rows)
    audit_record(
        actor=by,
        action="create",
        obj=problem,
        changes=snapshot(problem, AUDITED_FIELDS),
        note="; ".join(f"{r.kind}:{r.source_id}" for r in rows),
    )
    return problem


@transaction.atomic
def problem_update(*, problem, by, **fields):
    """Change a problem's unit, dimension, area, description, severity or disclosure level.

    Only the office changes the disclosure level; a unit's `disclosure` is recorded as its
    proposal, for the office's disclosure review, and discloses nothing yet.
    """
    before = snapshot(problem, AUDITED_FIELDS)
    saved = []
    for name, value in fields.items():
        if name not in PROBLEM_FIELDS:
            raise TypeError(name)
        if name == "disclosure":
            saved += disclosure_apply(problem, value, by=by)
        else:
            setattr(problem, name, value)
            saved.append(name)
    _check_keys(problem)
    problem.full_clean()
    problem.save(update_fields=[*saved, "updated_at"])
    if "dimension" in fields:
        # Items repeat their problem's dimension for the ledger (see RectificationItem).
        problem.items.exclude(dimension=problem.dimension).update(
            dimension=problem.dimension, updated_at=timezone.now()
        )
    changes = changes_between(before, snapshot(problem, AUDITED_FIELDS), AUDITED_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=problem, changes=changes)
    return problem


@transaction.atomic
def problem_source_add(*, problem, by, kind, source_id="", label=""):
    source = ProblemSource(problem=problem, kind=kind, source_id=str(source_id), label=label)
    source.full_clean()
    source.save()
    audit_record(actor=by, action="update", obj=problem, note=f"source {kind}:{source_id}")
    return source


def _check_keys(problem):
    campaign = problem.campaign
    if problem.dimension not in dict(campaign.choices("problem_dimensions")):
        raise ValidationError({"dimension": DIMENSION_UNKNOWN})
    if problem.area and problem.area not in dict(campaign.choices("problem_areas")):
        raise ValidationError({"area": AREA_UNKNOWN})
