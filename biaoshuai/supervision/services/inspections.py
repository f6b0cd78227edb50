"""Inspections (督办检查) and their findings; a finding becomes a problem or a supervision item."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.notifications.recipients import liaisons_of
from biaoshuai.notifications.services import notify
from biaoshuai.rectification.services import problem_create

from ..models import Finding, Inspection
from .items import supervision_item_issue

FINDING_EMPTY = _("Describe what was found.")
FINDING_LINKED = _("This finding has already become a problem or a supervision item.")
NEED_DIMENSION = _("Choose the problem's dimension.")


@transaction.atomic
def inspection_create(
    *, by, campaign, unit, visited_on, inspectors_text="", inspectors=(), summary="", findings=()
):
    """An inspection of `unit` with its inspectors and the findings given (one text each)."""
    inspection = Inspection(
        campaign=campaign,
        unit=unit,
        visited_on=visited_on,
        inspectors_text=inspectors_text,
        summary=summary,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set(list(inspectors))
    texts = [t.strip() for t in findings if t and t.strip()]
    for text in texts:
        finding = Finding(inspection=inspection, description=text)
        finding.full_clean(exclude=["inspection"])
        finding.save()
    audit_record(
        actor=by,
        action="create",
        obj=inspection,
        changes={
            "unit": [None, unit.name],
            "visited_on": [None, visited_on],
            "findings": [None, len(texts)],
        },
    )
    return inspection


@transaction.atomic
def finding_add(*, by, inspection, description, dimension=""):
    if not (description or "").strip():
        raise ValidationError(FINDING_EMPTY)
    finding = Finding(inspection=inspection, description=description.strip(), dimension=dimension)
    finding.full_clean()
    finding.save()
    audit_record(actor=by, action="create", obj=finding)
    return finding


@transaction.atomic
def finding_to_problem(*, by, finding, dimension, severity=None, area=""):
    """The finding becomes a problem on the unit's problem list, traced back to it."""
    finding = _locked(finding)
    if finding.problem_id or finding.item_id:
        raise ValidationError(FINDING_LINKED)
    if not dimension:
        raise ValidationError(NEED_DIMENSION)
    extra = {"severity": severity} if severity else {}
    problem = problem_create(
        by=by,
        unit=finding.inspection.unit,
        campaign=finding.inspection.campaign,
        dimension=dimension,
        description=finding.description,
        area=area,
        sources=[("inspection", str(finding.pk), finding.label)],
        **extra,
    )
    finding.problem_id, finding.dimension = problem.pk, dimension
    finding.save(update_fields=["problem_id", "dimension"])
    notify(
        recipients=liaisons_of(finding.inspection.unit),
        kind="supervision.inspection",
        text=_("Inspection finding assigned to %(unit)s as a problem to rectify: %(text)s")
        % {"unit": finding.inspection.unit.name, "text": finding.description[:120]},
        url=reverse("supervision:inspection_detail", args=[finding.inspection_id]),
        actor=by,
        campaign=finding.inspection.campaign,
    )
    audit_record(
        actor=by, action="to_problem", obj=finding, changes={"problem": [None, problem.pk]}
    )
    return problem


@transaction.atomic
def finding_to_item(*, by, finding, subject, requirement, deadline, issuer=None):
    """The finding becomes a supervision item to the inspected unit."""
    finding = _locked(finding)
    if finding.problem_id or finding.item_id:
        raise ValidationError(FINDING_LINKED)
    item = supervision_item_issue(
        by=by,
        campaign=finding.inspection.campaign,
        subject=subject,
        requirement=requirement,
        deadline=deadline,
        units=[finding.inspection.unit],
        issuer=issuer,
        source_label=finding.label,
    )
    finding.item = item
    finding.save(update_fields=["item"])
    audit_record(actor=by, action="to_item", obj=finding, changes={"item": [None, item.pk]})
    return item


def _locked(finding):
    return (
        Finding.objects.select_for_update()
        .select_related("inspection__unit", "inspection__campaign")
        .get(pk=finding.pk)
    )
