"""Writes for personal rectification plans (个人整改方案)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.notifications.recipients import liaisons_of
from biaoshuai.notifications.services import notify

from ..models import PersonalPlan, PlanAction, PlanMeasure, PlanProblem
from ..selectors.plans import self_check_problems

PlanState = PersonalPlan.State

PLAN_NOT_EDITABLE = _("A plan that is submitted or accepted cannot be changed.")
PLAN_NO_MEASURES = _("Add at least one measure before submitting the plan.")
PLAN_NOT_SUBMITTED = _("Only a submitted plan can be reviewed.")
PLAN_RETURN_COMMENT = _("Say what the cadre should improve.")
PLAN_NOT_UNDER_WAY = _("Actions are recorded once the plan is submitted.")
ACTION_TEXT_REQUIRED = _("Say what was done.")
MEASURE_DONE_WHEN = _("Say how it will be seen to be done.")
ASPECT_UNKNOWN = _("Choose one of the campaign's aspects.")
MEASURE_OTHER_PLAN = _("The problem belongs to another plan.")


@transaction.atomic
def plan_start(*, person, campaign, by):
    """The cadre's plan for the campaign, begun with their problems from the self-check and
    the appraisal when those are there. Returns the existing plan if there is one."""
    plan = PersonalPlan.objects.filter(campaign=campaign, person=person).first()
    if plan is not None:
        return plan
    plan = PersonalPlan(campaign=campaign, person=person, unit=person.unit)
    plan.full_clean()
    plan.save()
    PlanProblem.objects.bulk_create(
        [
            PlanProblem(
                plan=plan,
                dimension=row["dimension"],
                text=row["text"],
                source=row["source"],
                source_id=row["source_id"],
            )
            for row in self_check_problems(person=person, campaign=campaign)
        ]
    )
    audit_record(actor=by, action="create", obj=plan)
    return plan


@transaction.atomic
def plan_problem_add(*, plan, by, text, dimension=""):
    _editable(plan)
    problem = PlanProblem(
        plan=plan, text=text.strip(), dimension=dimension, source=PlanProblem.Source.OWN
    )
    problem.full_clean()
    problem.save()
    audit_record(actor=by, action="update", obj=plan, verb="problem_add", note=problem.text[:200])
    return problem


@transaction.atomic
def plan_problem_remove(*, problem, by):
    _editable(problem.plan)
    audit_record(
        actor=by, action="update", obj=problem.plan, verb="problem_remove", note=problem.text[:200]
    )
    problem.delete()


@transaction.atomic
def plan_measure_add(*, plan, by, measure, due_on, done_when, aspect="", problem=None):
    """A concrete measure with its date and how it will be seen to be done."""
    _editable(plan)
    if problem is not None and problem.plan_id != plan.pk:
        raise ValidationError({"problem": MEASURE_OTHER_PLAN})
    if aspect and aspect not in dict(plan.campaign.choices("personal_plan_aspects")):
        raise ValidationError({"aspect": ASPECT_UNKNOWN})
    if not (done_when or "").strip():
        raise ValidationError({"done_when": MEASURE_DONE_WHEN})
    row = PlanMeasure(
        plan=plan,
        problem=problem,
        aspect=aspect,
        measure=measure.strip(),
        due_on=due_on,
        done_when=done_when.strip(),
    )
    row.full_clean()
    row.save()
    audit_record(actor=by, action="update", obj=plan, verb="measure_add", note=row.measure[:200])
    return row


@transaction.atomic
def plan_measure_remove(*, measure, by):
    _editable(measure.plan)
    audit_record(
        actor=by,
        action="update",
        obj=measure.plan,
        verb="measure_remove",
        note=measure.measure[:200],
    )
    measure.delete()


@transaction.atomic
def plan_submit(*, plan, by):
    """Draft or returned → submitted to the liaison."""
    _editable(plan)
    if not plan.measures.exists():
        raise ValidationError(PLAN_NO_MEASURES)
    plan.state, plan.submitted_at = PlanState.SUBMITTED, timezone.now()
    plan.full_clean()
    plan.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(actor=by, action="update", obj=plan, verb="submit", changes={"state": plan.state})
    notify(
        recipients=liaisons_of(plan.unit),
        kind="rectification.plan",
        text=_("Personal plan submitted for review: %(name)s") % {"name": plan.person.name},
        url=reverse("rectification:plan_detail", args=[plan.pk]),
        actor=by,
        campaign=plan.campaign,
    )
    return plan


@transaction.atomic
def plan_review(*, plan, by, accept, comment=""):
    """The liaison accepts the plan, or returns it with a comment."""
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError(PLAN_NOT_SUBMITTED)
    if not accept and not (comment or "").strip():
        raise ValidationError({"comment": PLAN_RETURN_COMMENT})
    plan.state = PlanState.ACCEPTED if accept else PlanState.RETURNED
    plan.reviewed_by = by if by is not None and by.is_authenticated else None
    plan.reviewed_at, plan.review_comment = timezone.now(), (comment or "").strip()
    plan.full_clean()
    plan.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    audit_record(
        actor=by,
        action="update",
        obj=plan,
        verb="review",
        changes={"state": plan.state},
        note=comment,
    )
    notify(
        recipients=[plan.person.user_id],
        kind="rectification.plan",
        text=_("Your personal plan was accepted.")
        if accept
        else _("Your personal plan was returned: %(comment)s")
        % {"comment": plan.review_comment[:150]},
        url=reverse("rectification:plan_detail", args=[plan.pk]),
        actor=by,
        campaign=plan.campaign,
    )
    return plan


@transaction.atomic
def plan_action_record(*, measure, by, text, on=None, done=False):
    """An action the cadre took under a measure; `done` marks the measure done that day."""
    plan = measure.plan
    if plan.state not in (PlanState.SUBMITTED, PlanState.ACCEPTED):
        raise ValidationError(PLAN_NOT_UNDER_WAY)
    if not (text or "").strip():
        raise ValidationError({"text": ACTION_TEXT_REQUIRED})
    action = PlanAction(
        measure=measure,
        text=text.strip(),
        on=on or timezone.localdate(),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    action.full_clean()
    action.save()
    if done and measure.done_on is None:
        measure.done_on = action.on
        measure.save(update_fields=["done_on"])
    audit_record(
        actor=by,
        action="update",
        obj=plan,
        verb="action",
        changes={"measure": measure.pk, "done": done},
        note=action.text[:200],
    )
    return action


def _editable(plan):
    if not plan.editable:
        raise ValidationError(PLAN_NOT_EDITABLE)
