import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from biaoshuai.audit.models import AuditEvent
from biaoshuai.campaigns.models import Campaign, PlanStep
from biaoshuai.campaigns.selectors import plan_build, plan_progress, plan_summary
from biaoshuai.campaigns.services import campaign_set_current, plan_step_update
from biaoshuai.campaigns.template import template_load
from biaoshuai.org.models import Unit
from biaoshuai.org.services import unit_create

from .factories import SEED_KEY, campaign_create, small_template

START = datetime.date(2026, 1, 1)


@pytest.mark.django_db
def test_seed_campaign_has_three_phases_and_dated_steps():
    campaign = campaign_create(starts_on=START, make_current=True)
    assert campaign.is_current
    assert campaign.template_key == SEED_KEY
    assert campaign.short_name == "讲党性、重品行、作表率"
    phases = list(campaign.phases.order_by("order"))
    assert [(p.name, p.starts_on, p.ends_on) for p in phases] == [
        ("集中活动年", START, datetime.date(2026, 12, 31)),
        ("深化拓展年", datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
        ("巩固提高年", datetime.date(2028, 1, 1), datetime.date(2028, 12, 31)),
    ]
    assert campaign.ends_on == datetime.date(2028, 12, 31)
    data = template_load(SEED_KEY)
    for phase, spec in zip(phases, data["phases"], strict=True):
        assert phase.steps.count() == len(spec["steps"])
        for step in phase.steps.all():
            assert phase.starts_on <= step.starts_on <= step.ends_on <= phase.ends_on
    first = phases[0].steps.get(order=1)  # start_day 1, days 10
    assert (first.starts_on, first.ends_on) == (START, datetime.date(2026, 1, 10))
    training = phases[0].steps.get(name="举办专题培训班")  # start_month 2, months 3
    assert (training.starts_on, training.ends_on) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 4, 30),
    )
    assert training.stage == "学习教育"
    assert campaign.choices("opinion_channels")[0] == ("forum_visit", "座谈走访")
    assert {s["key"] for s in campaign.config["reference"]} >= {"five_natures", "four_images"}
    assert AuditEvent.objects.filter(object_type="campaigns.campaign", action="create").exists()


@pytest.mark.django_db
def test_responsible_is_linked_to_a_unit_of_that_name():
    office = unit_create(by=None, name="活动办公室", kind=Unit.Kind.DEPARTMENT)
    campaign = campaign_create()
    steps = PlanStep.objects.filter(phase__campaign=campaign)
    linked = steps.get(phase__order=1, name="召开全县组织系统活动动员大会")
    assert linked.responsible_unit == office and linked.responsible_text == ""
    text = steps.get(phase__order=1, name="座谈走访")
    assert text.responsible_unit is None and text.responsible_text == "各单位"


@pytest.mark.django_db
def test_several_campaigns_one_current(users):
    first = campaign_create(make_current=True)
    second = campaign_create(data=small_template(), starts_on=datetime.date(2027, 3, 1))
    assert not second.is_current
    campaign_set_current(campaign=second, by=users.office)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert Campaign.objects.current() == second
    assert Campaign.objects.filter(is_current=True).count() == 1
    assert AuditEvent.objects.filter(verb="set_current", actor=users.office).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=first.pk).update(is_current=True)


@pytest.mark.django_db
def test_effective_status_overdue():
    campaign = campaign_create(data=small_template(steps=3))
    step = PlanStep.objects.filter(phase__campaign=campaign).get(order=1)  # January 2026
    assert step.effective_status(today=datetime.date(2026, 1, 15)) == "not_started"
    assert step.effective_status(today=datetime.date(2026, 2, 1)) == "overdue"
    step.status = PlanStep.Status.IN_PROGRESS
    assert step.effective_status(today=datetime.date(2026, 2, 1)) == "overdue"
    step.status = PlanStep.Status.DONE
    assert step.effective_status(today=datetime.date(2026, 2, 1)) == "done"


@pytest.mark.django_db
def test_plan_step_update_is_audited(users):
    campaign = campaign_create(data=small_template())
    step = PlanStep.objects.filter(phase__campaign=campaign).first()
    plan_step_update(step=step, by=users.office, status="done", note="已召开")
    step.refresh_from_db()
    assert step.status == "done" and step.done_on is not None and step.status_note == "已召开"
    event = AuditEvent.objects.get(object_type="campaigns.planstep", object_id=str(step.pk))
    assert event.actor == users.office
    assert event.changes["status"] == ["not_started", "done"]
    assert event.note == "已召开"
    plan_step_update(step=step, by=users.office, status="in_progress")
    step.refresh_from_db()
    assert step.done_on is None


@pytest.mark.django_db
def test_plan_step_update_rejects_bad_input(users):
    campaign = campaign_create(data=small_template())
    step = PlanStep.objects.filter(phase__campaign=campaign).first()
    with pytest.raises(ValidationError):
        plan_step_update(step=step, by=users.office, status="finished")
    future = datetime.date.today() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        plan_step_update(step=step, by=users.office, status="done", done_on=future)
    step.refresh_from_db()
    assert step.status == "not_started"


@pytest.mark.django_db
def test_progress_and_summary():
    campaign = campaign_create(data=small_template(steps=4))  # one step a month, Jan–Apr 2026
    today = datetime.date(2026, 3, 15)  # steps in Feb and Mar have started
    steps = list(PlanStep.objects.filter(phase__campaign=campaign).order_by("order"))
    plan_step_update(step=steps[0], by=None, status="done", done_on=datetime.date(2026, 1, 5))
    plan_step_update(step=steps[2], by=None, status="in_progress")
    assert plan_progress(campaign=campaign, today=today) == pytest.approx(100 / 3)
    summary = plan_summary(campaign=campaign, today=today)
    assert summary["phase"].key == "only"
    assert summary["phase_elapsed"] == 74
    assert summary["phase_remaining"] == 365 - 74
    assert summary["overdue_count"] == 1  # February's step
    assert [s.pk for s in summary["in_progress"]] == [steps[2].pk]
    plan = plan_build(campaign=campaign, today=today, status="overdue")
    assert [r.step.pk for r in plan.phases[0].rows] == [steps[1].pk]
    assert plan.counts == {"not_started": 1, "in_progress": 1, "done": 1, "overdue": 1}
