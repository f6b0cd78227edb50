"""The disclosure levels, checked on a real disclosable record type (problems)."""

import datetime

import pytest

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.rectification.models import Problem
from biaoshuai.rectification.services import problem_create


@pytest.fixture
def problems(users, org):
    campaign = campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date(2026, 3, 1),
        by=None,
        make_current=True,
    )
    made = {}
    for level in Disclosure:
        made[level] = problem_create(
            by=None,
            unit=org.lishi,
            campaign=campaign,
            dimension="discipline",
            description=f"李市镇问题（{level.label}）",
            disclosure=level,
        )
    return made


def _seen(queryset):
    return set(queryset.values_list("disclosure", flat=True))


def test_the_public_sees_only_public_records(problems):
    assert _seen(Problem.objects.public()) == {Disclosure.PUBLIC}
    from django.contrib.auth.models import AnonymousUser

    assert _seen(Problem.objects.visible_to(AnonymousUser())) == {Disclosure.PUBLIC}


def test_another_unit_sees_public_and_internal(problems, users):
    assert _seen(Problem.objects.visible_to(users.liaison_zengji)) == {
        Disclosure.PUBLIC,
        Disclosure.INTERNAL,
    }


def test_the_unit_and_the_office_see_everything(problems, users):
    everything = set(Disclosure.values)
    assert _seen(Problem.objects.visible_to(users.liaison_lishi)) == everything
    assert _seen(Problem.objects.visible_to(users.office)) == everything
    assert _seen(Problem.objects.visible_to(users.leader)) == everything
