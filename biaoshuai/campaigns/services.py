"""Writes for campaigns and their plans. Each one runs in a transaction and is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.org.models import Unit

from .models import Campaign, CampaignChoice, Phase, PlanStep
from .template import (
    phase_dates,
    step_dates,
    template_clean,
    template_dump,
    template_load,
    template_text,
)

NEED_TEMPLATE = _("Give either a template key or the template's data.")
DONE_IN_FUTURE = _("The date it was done cannot be in the future.")
STEP_FIELDS = ["status", "status_note", "done_on"]


@transaction.atomic
def campaign_create_from_template(
    *, template_key=None, data=None, starts_on, by, make_current=False, source=""
):
    """A campaign with its phases and plan steps dated from `starts_on`.

    `template_key` names a shipped template; `data` is a parsed template (an upload), and
    `source` its text as given (kept for download; else the data is written out as YAML).
    The template's reference content, lists and settings go into `Campaign.config`. A step's
    `responsible` is linked to the unit of that name when exactly one exists, else kept as
    text. Raises TemplateError for a bad template; nothing is saved then.
    """
    if (template_key is None) == (data is None):
        raise ValueError(str(NEED_TEMPLATE))
    if data is None:
        source = source or template_text(template_key)
        data = template_load(template_key)
    else:
        data = template_clean(data)

    phase_rows = [
        (order, spec, phase_start, phase_end)
        for order, (spec, (phase_start, phase_end)) in enumerate(
            zip(data["phases"], phase_dates(starts_on, data["phases"]), strict=True), 1
        )
    ]

    campaign = Campaign(
        template_key=data["key"],
        name=data["name"],
        short_name=data["short_name"],
        description=data.get("description", ""),
        starts_on=starts_on,
        ends_on=max(row[3] for row in phase_rows),
        config={
            "reference": data["reference"],
            "lists": data["lists"],
            "reporting": data.get("reporting", {}),
            "participants": data.get("participants", ""),
            "modules": data.get("modules", {}),
            "labels": data.get("labels", {}),
            "targets": data.get("targets", {}),
            "template": source or template_dump(data),
        },
    )
    campaign.full_clean()
    campaign.save()

    units = _units_by_name(
        {step["responsible"] for _o, spec, _s, _e in phase_rows for step in spec["steps"]}
    )
    steps = []
    for order, spec, phase_starts, phase_ends in phase_rows:
        phase = Phase(
            campaign=campaign,
            key=spec["key"],
            order=order,
            name=spec["name"],
            description=spec.get("description", ""),
            starts_on=phase_starts,
            ends_on=phase_ends,
        )
        phase.full_clean()
        phase.save()
        for step_order, step_spec in enumerate(spec["steps"], 1):
            step_starts, step_ends = step_dates(phase_starts, step_spec)
            unit = units.get(step_spec["responsible"])
            step = PlanStep(
                phase=phase,
                order=step_order,
                stage=step_spec.get("stage", ""),
                name=step_spec["name"],
                description=step_spec.get("description", ""),
                starts_on=step_starts,
                ends_on=step_ends,
                responsible_unit=unit,
                responsible_text="" if unit else step_spec.get("responsible", ""),
            )
            step.full_clean(exclude=["phase"])
            steps.append(step)
    PlanStep.objects.bulk_create(steps)

    audit_record(
        actor=by,
        action="create",
        obj=campaign,
        changes={
            "template_key": [None, campaign.template_key],
            "name": [None, campaign.name],
            "starts_on": [None, campaign.starts_on],
            "ends_on": [None, campaign.ends_on],
            "phases": [None, len(phase_rows)],
            "steps": [None, len(steps)],
        },
    )
    if make_current:
        campaign_set_current(campaign=campaign, by=by)
    return campaign


@transaction.atomic
def campaign_set_current(*, campaign, by):
    """Make `campaign` the current one; the one that was current stops being so."""
    previous = (
        Campaign.objects.select_for_update().filter(is_current=True).exclude(pk=campaign.pk).first()
    )
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
        audit_record(
            actor=by,
            action="update",
            verb="unset_current",
            obj=previous,
            changes={"is_current": [True, False]},
        )
    if not campaign.is_current:
        campaign.is_current = True
        campaign.save(update_fields=["is_current", "updated_at"])
        audit_record(
            actor=by,
            action="update",
            verb="set_current",
            obj=campaign,
            changes={"is_current": [False, True]},
        )
    return campaign


@transaction.atomic
def campaign_choose(*, user, campaign):
    """Remember the campaign `user` works in, until they choose another.

    A preference about what to look at, like the language: it changes no record, so it is
    not audited.
    """
    choice, _created = CampaignChoice.objects.update_or_create(
        user=user, defaults={"campaign": campaign}
    )
    return choice


@transaction.atomic
def plan_step_update(*, step, by, status, note="", done_on=None):
    """Set a step's status. A step marked done gets today's date unless `done_on` is given;
    a step that is not done has no such date."""
    before = snapshot(step, STEP_FIELDS)
    if status not in PlanStep.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    step.status = status
    step.status_note = note or ""
    if status == PlanStep.Status.DONE:
        if done_on and done_on > timezone.localdate():
            raise ValidationError({"done_on": DONE_IN_FUTURE})
        step.done_on = done_on or timezone.localdate()
    else:
        step.done_on = None
    step.full_clean()
    step.save(update_fields=["status", "status_note", "done_on", "updated_at"])
    changes = changes_between(before, snapshot(step, STEP_FIELDS), STEP_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=step, changes=changes, note=note or "")
    return step


def _units_by_name(names):
    """{name: unit} for the names that match exactly one active unit."""
    names = {n for n in names if n}
    found = {}
    for unit in Unit.objects.filter(name__in=names, is_active=True):
        found.setdefault(unit.name, []).append(unit)
    return {name: units[0] for name, units in found.items() if len(units) == 1}
