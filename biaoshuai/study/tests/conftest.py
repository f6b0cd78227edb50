"""Study fixtures: the seed's campaign begun two months ago, sessions and deliverables made
through the real services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.roles import Role
from biaoshuai.demo.loader import months_before
from biaoshuai.study import services
from biaoshuai.study.completion import study_phase
from conftest import make_user


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=months_before(timezone.localdate(), 2),
        by=None,
        make_current=True,
    )


@pytest.fixture
def phase(campaign):
    return study_phase(campaign)


@pytest.fixture
def authors(org, users):
    """A login for every cadre of the org fixture (lishi_a is cadre_lishi)."""
    logins = {"lishi_a": users.cadre_lishi}
    for key in ("lishi_b", "zengji_a", "zengji_b"):
        person = org.people[key]
        user = make_user(f"cadre_{key}", unit=person.unit, role=Role.CADRE)
        person.user = user
        person.save(update_fields=["user"])
        logins[key] = user
    return logins


def make_session(campaign, by, unit, *, starts_in=timedelta(hours=-1), hours=2, **kw):
    starts_at = timezone.now() + starts_in
    values = {
        "kind": "training_course",
        "title": "十七大精神和党章专题培训班",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "place": "县委党校报告厅",
        "speaker": "县委党校 王教授",
        "topics": ["congress_and_constitution"],
        "description": "",
        "sign_in_opens_before": 30,
        "unit": unit,
    }
    values.update(kw)
    return services.session_create(campaign=campaign, by=by, **values)


def make_deliverable(
    phase,
    person,
    user,
    *,
    kind="reflection",
    text="第一段。\n\n第二段。",
    state="draft",
    reviewer=None,
):
    d = services.deliverable_create(
        person=person, phase=phase, kind=kind, title=f"{person.name}的{kind}", text=text, by=user
    )
    if state in ("submitted", "accepted", "returned"):
        services.deliverable_submit(deliverable=d, by=user)
    if state == "accepted":
        services.deliverable_accept(deliverable=d, by=reviewer)
    if state == "returned":
        services.deliverable_return(deliverable=d, by=reviewer, comment="请联系工作实际再充实。")
    return d
