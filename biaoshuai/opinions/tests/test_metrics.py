"""The three rates on a fixed dataset, with exact numbers, in total and by unit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from biaoshuai.core.registry import registry
from biaoshuai.opinions import services
from biaoshuai.opinions.models import Opinion

from .factories import advance, opinion_new

State = Opinion.State


@pytest.fixture
def dataset(campaign, users, org):
    """李市镇 (with its sub-unit) and 曾集镇, opinions in known states.

    李市镇 subtree (7 assigned):
      1 closed, on time, rated satisfied
      2 closed, on time, rated fairly satisfied
      3 closed, late, rated dissatisfied → reopened
      4 closed, on time, not rated                       (李市镇党建办)
      5 replied (awaiting review), on time
      6 assigned, overdue, no reply                      (李市镇党建办)
      7 signed, deadline not yet reached
    曾集镇 (2 assigned):
      8 closed, late, rated satisfied
      9 assigned, not overdue
    plus 1 new opinion, never assigned (counts nowhere).
    """
    o, lz = users.office, users.liaison_lishi
    today = timezone.localdate()

    def make(state, unit, *, late=False, liaison=lz):
        opinion, _ = opinion_new(campaign)
        opinion = advance(
            opinion,
            State.SIGNED if state not in (State.NEW, State.ASSIGNED) else state,
            office=o,
            liaison=liaison,
            unit=unit,
        )
        if late:
            Opinion.objects.filter(pk=opinion.pk).update(
                deadline=today - datetime.timedelta(days=3)
            )
            opinion.refresh_from_db()
        if state in (State.REPLIED, State.CLOSED):
            services.opinion_reply(opinion=opinion, by=liaison, reply="答复")
        if state == State.CLOSED:
            services.opinion_approve(opinion=opinion, by=o)
        opinion.refresh_from_db()
        return opinion

    def rate(opinion, rating):
        services.opinion_rate(opinion=opinion, rating=rating)

    rate(make(State.CLOSED, org.lishi), Opinion.Rating.SATISFIED)
    rate(make(State.CLOSED, org.lishi), Opinion.Rating.FAIRLY_SATISFIED)
    rate(make(State.CLOSED, org.lishi, late=True), Opinion.Rating.DISSATISFIED)
    make(State.CLOSED, org.lishi_sub)
    make(State.REPLIED, org.lishi)
    make(State.ASSIGNED, org.lishi_sub, late=True)
    make(State.SIGNED, org.lishi)
    rate(
        make(State.CLOSED, org.zengji, late=True, liaison=users.liaison_zengji),
        Opinion.Rating.SATISFIED,
    )
    make(State.ASSIGNED, org.zengji)
    make(State.NEW, None)
    return org


def _metric(key):
    return registry.metrics[key]


def test_reply_rate(dataset, campaign, users):
    org = dataset
    metric = _metric("opinions.reply_rate")
    # 5 published replies (1,2,3,4,8) of 9 assigned.
    assert metric.total(user=users.office, campaign=campaign) == round(100 * 5 / 9, 1) == 55.6
    # 李市镇: 4 of 7; its sub-unit: 1 of 2; 曾集镇: 1 of 2.
    assert metric.total(user=users.liaison_lishi, campaign=campaign) == 57.1
    by_unit = metric.by_unit(
        campaign=campaign,
        unit_ids=[org.lishi.pk, org.lishi_sub.pk, org.zengji.pk, org.department.pk],
    )
    assert by_unit == {
        org.lishi.pk: 57.1,
        org.lishi_sub.pk: 50.0,
        org.zengji.pk: 50.0,
        org.department.pk: 55.6,
    }


def test_on_time_rate(dataset, campaign, users):
    org = dataset
    metric = _metric("opinions.on_time_rate")
    # Replied at least once: 1,2,3,4,5,8 (6), of which on time 1,2,4,5 (4); overdue unreplied: 6.
    # 4 / 7 overall.
    assert metric.total(user=users.office, campaign=campaign) == 57.1
    by_unit = metric.by_unit(
        campaign=campaign, unit_ids=[org.lishi.pk, org.lishi_sub.pk, org.zengji.pk]
    )
    # 李市镇 subtree: on time 1,2,4,5 (4) of replied 1,2,3,4,5 (5) + overdue 6 → 4/6.
    # 党建办: 4 on time, 6 overdue → 1/2. 曾集镇: 8 late → 0/1 (9 not yet due).
    assert by_unit == {org.lishi.pk: 66.7, org.lishi_sub.pk: 50.0, org.zengji.pk: 0.0}


def test_satisfaction_rate(dataset, campaign, users):
    org = dataset
    metric = _metric("opinions.satisfaction_rate")
    # Rated: 1 satisfied, 2 fairly, 3 dissatisfied, 8 satisfied → 3/4.
    assert metric.total(user=users.office, campaign=campaign) == 75.0
    by_unit = metric.by_unit(
        campaign=campaign, unit_ids=[org.lishi.pk, org.lishi_sub.pk, org.zengji.pk]
    )
    assert by_unit == {org.lishi.pk: 66.7, org.lishi_sub.pk: None, org.zengji.pk: 100.0}


@pytest.mark.parametrize(
    "key", ["opinions.reply_rate", "opinions.on_time_rate", "opinions.satisfaction_rate"]
)
def test_by_unit_in_one_query_and_hidden_from_other_roles(dataset, campaign, users, key):
    org = dataset
    metric = _metric(key)
    with CaptureQueriesContext(connection) as few:
        metric.by_unit(campaign=campaign, unit_ids=[org.lishi.pk])
    with CaptureQueriesContext(connection) as many:
        metric.by_unit(
            campaign=campaign,
            unit_ids=[org.lishi.pk, org.lishi_sub.pk, org.zengji.pk, org.department.pk],
        )
    assert len(few) == len(many) == 1
    assert metric.kind == "percent"
    assert metric.total(user=users.cadre_lishi, campaign=campaign) is None
    assert metric.total(user=users.sysadmin, campaign=campaign) is None
    # The current campaign by default.
    assert metric.total(user=users.office) == metric.total(user=users.office, campaign=campaign)


def test_assessment_indicator_key_is_registered(campaign):
    keys = {i.get("metric") for i in campaign.config["lists"]["assessment_indicators"]}
    assert "opinions.reply_rate" in keys and "opinions.reply_rate" in registry.metrics


def test_registry_entries():
    assert "opinions" in registry.portal_sections
    assert registry.disclosables["opinions.opinion"].model is Opinion
    assert {"opinions.list", "opinions.groups"} <= set(registry.nav_items)
    assert {"opinions.office", "opinions.liaison"} <= set(registry.home_panels)


def test_by_unit_for_a_period_and_breakdown_by_channel(dataset, campaign, users):
    org = dataset
    metric = _metric("opinions.reply_rate")
    today = timezone.localdate()
    assert metric.by_unit(
        campaign=campaign, unit_ids=[org.lishi.pk], period_start=today, period_end=today
    ) == {org.lishi.pk: 57.1}
    tomorrow = today + datetime.timedelta(days=1)
    assert metric.by_unit(campaign=campaign, unit_ids=[org.lishi.pk], period_start=tomorrow) == {
        org.lishi.pk: None
    }
    breakdown = metric.breakdown(user=users.office, campaign=campaign)
    assert breakdown["网上留言"] == 10 and breakdown["热线"] == 0
    assert metric.breakdown(user=users.cadre_lishi, campaign=campaign) is None
