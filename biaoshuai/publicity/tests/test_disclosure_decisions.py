"""Every disclosable record type: units propose, only the campaign office decides and publishes.

The office's own actions refuse anyone else in the service (not only in the view), with a
message that says who decides; the generic disclosure review refuses them too.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.disclosure import DISCLOSURE_OFFICE_DECIDES, Disclosure
from biaoshuai.core.registry import registry
from biaoshuai.opinions import services as opinions
from biaoshuai.practice import services as practice
from biaoshuai.publicity import services as publicity
from biaoshuai.rectification import services as rectification
from biaoshuai.supervision import services as supervision

TODAY = datetime.date(2026, 11, 18)
# Each registered type is made here, so a new disclosable type must be added (and checked).
COVERED = {
    "rectification.problem",
    "opinions.opinion",
    "practice.discussion",
    "practice.pairing",
    "practice.placement",
    "publicity.news",
    "publicity.exemplars",
    "supervision.bulletin",
}
NOT_OFFICE = ["liaison_lishi", "leader", "cadre_lishi", "sysadmin"]


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=(timezone.localdate() - datetime.timedelta(days=120)).replace(day=1),
        by=None,
        make_current=True,
    )


@pytest.fixture
def records(users, org, campaign):
    office, liaison = users.office, users.liaison_lishi
    opinion, _code = opinions.opinion_record(
        by=office,
        campaign=campaign,
        channel="hotline",
        received_on=TODAY,
        content="办事窗口午休时间无人值守。",
    )
    cadre = org.people["lishi_a"]
    discussion = practice.discussion_create(
        by=liaison,
        unit=org.lishi,
        answers={
            "constraints": "怕担风险。",
            "misfits": "重显绩。",
            "room_to_innovate": "公推直选。",
        },
        participants=(),
        title="李市镇解放思想大讨论",
        held_on=TODAY,
        place="会议室",
        host="党委书记",
        attendance=12,
        conclusions="形成三条共识。",
    )
    pairing = practice.pairing_create(
        by=liaison,
        cadre=cadre,
        paired_name="红星村",
        paired_kind="village",
        paired_address="红星村村委会",
        starts_on=TODAY,
        goals="规范“三会一课”。",
    )
    placement = practice.placement_create(
        by=liaison,
        cadre=cadre,
        kind="enterprise",
        host="某化工有限公司",
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30),
        learning="学习企业精细化管理。",
    )
    news = publicity.news_create(
        unit=org.lishi, by=liaison, title="新闻", body="正文。", disclosure_proposed="public"
    )
    exemplar = publicity.exemplar_create(
        unit=org.lishi, by=liaison, title="典型", summary="摘要", body="正文。"
    )
    for record in (news, exemplar):
        publicity.review_submit(obj=record, by=liaison)
    bulletin = supervision.bulletin_generate(
        by=office,
        campaign=campaign,
        period_start=TODAY.replace(day=1),
        period_end=TODAY,
    )
    problem = rectification.problem_create(
        by=office,
        unit=org.lishi,
        campaign=campaign,
        dimension="exemplary_role",
        description="服务基层不够主动",
    )
    return {
        "rectification.problem": problem,
        "opinions.opinion": opinion,
        "practice.discussion": discussion,
        "practice.pairing": pairing,
        "practice.placement": placement,
        "publicity.news": news,
        "publicity.exemplars": exemplar,
        "supervision.bulletin": bulletin,
    }


def test_every_registered_disclosable_type_is_covered():
    assert set(registry.disclosables) == COVERED


@pytest.mark.parametrize("name", NOT_OFFICE)
def test_only_the_office_sets_a_level_in_the_review(users, records, name):
    for key, record in records.items():
        with pytest.raises(ValidationError):
            publicity.disclosure_set(obj=record, level=Disclosure.PUBLIC, by=getattr(users, name))
        record.refresh_from_db()
        assert record.disclosure != Disclosure.PUBLIC, key
        assert not type(record).objects.public().filter(pk=record.pk).exists(), key


def _office_actions(records, by):
    """Every service by which a level is decided or a record published, per type."""
    opinion, bulletin = records["opinions.opinion"], records["supervision.bulletin"]
    news, exemplar = records["publicity.news"], records["publicity.exemplars"]
    actions = {
        "opinion classify": lambda: opinions.opinion_classify(
            opinion=opinion, by=by, dimension="", summary="摘要", disclosure="public"
        ),
        "opinion reply approve": lambda: opinions.opinion_approve(opinion=opinion, by=by),
        "bulletin publish": lambda: supervision.bulletin_publish(
            by=by, bulletin=bulletin, disclosure="public"
        ),
    }
    for key in ("practice.discussion", "practice.pairing", "practice.placement"):
        record = records[key]
        actions[f"{key} confirm"] = lambda r=record: practice.practice_exemplar_confirm(
            record=r, by=by, disclosure="public"
        )
        actions[f"{key} decline"] = lambda r=record: practice.practice_exemplar_decline(
            record=r, by=by
        )
        actions[f"{key} disclose"] = lambda r=record: practice.practice_exemplar_disclose(
            record=r, by=by, disclosure="public"
        )
    for label, record in (("news", news), ("exemplar", exemplar)):
        actions[f"{label} publish"] = lambda r=record: publicity.review_publish(
            obj=r, by=by, disclosure="public"
        )
        actions[f"{label} return"] = lambda r=record: publicity.review_return(
            obj=r, by=by, reason="请补充"
        )
        actions[f"{label} withdraw"] = lambda r=record: publicity.review_withdraw(
            obj=r, by=by, reason="请补充"
        )
    return actions


@pytest.mark.parametrize("name", NOT_OFFICE)
def test_the_offices_decisions_refuse_anyone_else(users, records, name):
    refused = []
    for label, action in _office_actions(records, getattr(users, name)).items():
        with pytest.raises(ValidationError) as exc:
            action()
        if str(DISCLOSURE_OFFICE_DECIDES) not in exc.value.messages:
            refused.append(f"{label}: {exc.value.messages}")
    assert refused == []
    for key, record in records.items():
        record.refresh_from_db()
        assert not type(record).objects.public().filter(pk=record.pk).exists(), key


def test_the_office_still_decides(users, records):
    office = users.office
    news = publicity.review_publish(obj=records["publicity.news"], by=office)
    assert news.disclosure == Disclosure.PUBLIC
    opinion = opinions.opinion_classify(
        opinion=records["opinions.opinion"],
        by=office,
        dimension="",
        summary="午休窗口无人值守",
        disclosure="internal",
    )
    assert opinion.disclosure == Disclosure.INTERNAL


def test_the_pages_refuse_a_units_decision(client, users, records):
    from django.urls import reverse

    from biaoshuai.core.testing import login

    login(client, users.liaison_lishi)
    posts = [
        (reverse("publicity:disclosure_set"), {"kind": key, "pk": r.pk, "level": "public"})
        for key, r in records.items()
    ]
    posts += [
        (reverse("opinions:classify", args=[records["opinions.opinion"].pk]), {}),
        (reverse("opinions:approve", args=[records["opinions.opinion"].pk]), {}),
        (reverse("supervision:bulletin_publish", args=[records["supervision.bulletin"].pk]), {}),
        (reverse("publicity:review_publish", args=["news", records["publicity.news"].pk]), {}),
        (
            reverse(
                "publicity:review_publish", args=["exemplar", records["publicity.exemplars"].pk]
            ),
            {},
        ),
    ]
    for kind in ("discussion", "pairing", "placement"):
        for action in ("confirm", "disclose"):
            url = reverse(
                f"practice:{kind}_exemplar", args=[records[f"practice.{kind}"].pk, action]
            )
            posts.append((url, {}))
    answers = {
        url: client.post(url, {**data, "disclosure": "public"}).status_code for url, data in posts
    }
    assert {url: code for url, code in answers.items() if code not in (403, 404)} == {}
    for key, record in records.items():
        record.refresh_from_db()
        assert record.disclosure != Disclosure.PUBLIC, key
