"""Reads for personal plans."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from biaoshuai.appraisal.selectors import self_check_findings
from biaoshuai.org.models import Person, Unit

from ..models import PersonalPlan, PlanMeasure


def self_check_problems(*, person, campaign):
    """[{dimension, text, source, source_id}]: the cadre's own findings from the self-check
    (appraisal app)."""
    findings = self_check_findings(person=person, campaign=campaign)
    return [
        {
            "dimension": getattr(f, "dimension", "") or "",
            "text": f.text,
            "source": "self_check",
            "source_id": str(f.pk),
        }
        for f in findings
    ]


def plan_for(*, person, campaign):
    if person is None or campaign is None:
        return None
    return PersonalPlan.objects.filter(person=person, campaign=campaign).first()


def plan_full(*, plan):
    """The plan with its problems, measures and their actions (4 queries)."""
    problems = list(plan.problems.all())
    measures = list(
        plan.measures.select_related("problem").prefetch_related("actions").order_by("due_on", "id")
    )
    return problems, measures


def plans_visible_to(*, user, campaign, unit=None, state=""):
    """Plans in the user's scope with their measure counts, in one query."""
    plans = (
        PersonalPlan.objects.restrict(user)
        .filter(campaign=campaign)
        .select_related("person", "unit")
        .annotate(
            measure_count=Count("measures"),
            done_count=Count("measures", filter=Q(measures__done_on__isnull=False)),
        )
        .order_by("unit__path", "person__name", "id")
    )
    if unit is not None:
        plans = plans.filter(unit__path__subtree=unit.path)
    if state:
        plans = plans.filter(state=state)
    return plans


def plan_completion_by_unit(*, user, campaign):
    """Units in scope with: cadres, plans begun, submitted (or later), accepted, measures
    done / all. One query, whatever the number of units."""
    units = Unit.objects.restrict(user).filter(is_active=True)
    plans = PersonalPlan.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    measures = PlanMeasure.objects.filter(plan__campaign=campaign, plan__unit=OuterRef("pk"))
    return units.annotate(
        cadres=_count(Person.objects.filter(unit=OuterRef("pk"), is_active=True)),
        plans=_count(plans),
        submitted=_count(plans.exclude(state=PersonalPlan.State.DRAFT)),
        accepted=_count(plans.filter(state=PersonalPlan.State.ACCEPTED)),
        measures=_count(measures),
        measures_done=_count(measures.filter(done_on__isnull=False)),
    ).order_by("path")


def plan_completion_by_cadre(*, user, campaign, unit):
    """The cadres of `unit` with their plan's state and measures done / all (one query)."""
    plans = PersonalPlan.objects.filter(campaign=campaign, person=OuterRef("pk"))
    measures = PlanMeasure.objects.filter(plan__campaign=campaign, plan__person=OuterRef("pk"))
    return (
        Person.objects.restrict(user)
        .filter(unit=unit, is_active=True)
        .annotate(
            plan_id=Subquery(plans.values("pk")[:1]),
            plan_state=Subquery(plans.values("state")[:1]),
            measures=_count(measures),
            measures_done=_count(measures.filter(done_on__isnull=False)),
            has_plan=Exists(plans),
        )
        .order_by("name", "id")
    )


def _count(queryset):
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
