import pytest
from django.core.exceptions import ValidationError

from biaoshuai.appraisal import selectors, services
from biaoshuai.appraisal.models import SelfCheck
from biaoshuai.core.testing import count_queries  # noqa: F401

from .factories import full_answers, self_check_submitted


def test_items_come_from_the_template(campaign):
    items = selectors.self_check_form_items(campaign=campaign)
    assert [i["key"] for i in items] == ["party_spirit", "conduct", "work_style"]
    assert items[0]["entries"][0] == "政治立场的坚定性"
    assert items[1]["entries"][0] == "政治品行：高度负责、公道正派、求真务实、廉洁守纪"
    assert len(items[2]["entries"]) == 5


def test_draft_then_submit_and_findings_selector(campaign, org, django_assert_num_queries):
    person = org.people["lishi_a"]
    check = services.self_check_save(
        person=person,
        campaign=campaign,
        by=None,
        answers={"party_spirit": ["good", "fair"]},
        findings={"party_spirit": "理论学习不够系统\n\n  ", "discipline": ["请假制度执行不严"]},
    )
    assert check.state == SelfCheck.State.DRAFT
    assert check.unit == org.lishi
    assert list(selectors.self_check_findings(person=person)) == []
    drafts = selectors.self_check_findings(person=person, submitted_only=False)
    assert [(f.dimension, f.text) for f in drafts] == [
        ("party_spirit", "理论学习不够系统"),
        ("discipline", "请假制度执行不严"),
    ]
    with pytest.raises(ValidationError) as exc:
        services.self_check_submit(self_check=check, by=None)
    assert exc.value.messages == [str(services.SELF_CHECK_INCOMPLETE)]
    check = services.self_check_save(
        person=person,
        campaign=campaign,
        by=None,
        answers=full_answers(campaign),
        findings={"party_spirit": ["理论学习不够系统"]},
        submit=True,
    )
    assert check.state == SelfCheck.State.SUBMITTED and check.submitted_at
    self_check_submitted(person=org.people["zengji_a"], campaign=campaign)
    with django_assert_num_queries(1):
        rows = [
            (
                f.dimension,
                f.text,
                f.self_check.person.name,
                f.self_check.unit.name,
                f.self_check.campaign.pk,
            )
            for f in selectors.self_check_findings(campaign=campaign)
        ]
    assert rows == [
        ("party_spirit", "理论学习不够系统", "王建国", "李市镇", campaign.pk),
        ("party_spirit", "理论学习不够系统", "张伟", "曾集镇", campaign.pk),
    ]
    assert len(selectors.self_check_findings(units=[org.zengji])) == 1
    assert len(selectors.self_check_findings(units=[org.zengji.pk], person=person)) == 0
    with pytest.raises(ValidationError) as exc:
        services.self_check_save(person=person, campaign=campaign, by=None, answers={}, findings={})
    assert exc.value.messages == [str(services.SELF_CHECK_SUBMITTED)]


def test_submit_needs_a_finding_and_known_keys(campaign, org):
    person = org.people["lishi_a"]
    with pytest.raises(ValidationError) as exc:
        services.self_check_save(
            person=person,
            campaign=campaign,
            by=None,
            answers=full_answers(campaign),
            findings={},
            submit=True,
        )
    assert exc.value.messages == [str(services.SELF_CHECK_NO_FINDINGS)]
    assert not SelfCheck.objects.exists()  # nothing half-saved
    with pytest.raises(ValidationError):
        services.self_check_save(
            person=person, campaign=campaign, by=None, answers={"nope": ["good"]}, findings={}
        )
    with pytest.raises(ValidationError):
        services.self_check_save(
            person=person, campaign=campaign, by=None, answers={}, findings={"nope": "x"}
        )
    with pytest.raises(ValidationError):
        services.self_check_save(
            person=person,
            campaign=campaign,
            by=None,
            answers={"party_spirit": ["excellent"]},
            findings={},
        )


def test_return_reopens_for_editing(campaign, org):
    check = self_check_submitted(person=org.people["lishi_a"], campaign=campaign)
    services.self_check_return(self_check=check, by=None, note="请补充问题")
    assert check.state == SelfCheck.State.DRAFT and check.submitted_at is None
    with pytest.raises(ValidationError):
        services.self_check_return(self_check=check, by=None)


def test_rate_overall_and_by_unit(campaign, org, django_assert_num_queries):
    self_check_submitted(person=org.people["lishi_a"], campaign=campaign)
    services.self_check_save(
        person=org.people["lishi_b"], campaign=campaign, by=None, answers={}, findings={}
    )
    ids = [org.department.pk, org.lishi.pk, org.lishi_sub.pk, org.zengji.pk]
    with django_assert_num_queries(1):
        rates = selectors.self_check_rate_by_unit(campaign=campaign, unit_ids=ids)
    assert rates == {
        org.department.pk: 25.0,
        org.lishi.pk: 50.0,
        org.lishi_sub.pk: 0.0,
        org.zengji.pk: 0.0,
    }
    assert selectors.self_check_rate(campaign=campaign, all_units=True) == 25.0
    assert selectors.self_check_rate(campaign=campaign, unit_paths=[org.lishi.path]) == 50.0
