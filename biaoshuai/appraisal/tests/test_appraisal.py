import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from biaoshuai.appraisal import selectors, services
from biaoshuai.appraisal.models import Appraisal, PeerAssessment
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.org.services import person_create


def _appraisal(campaign, unit, n_extra=0, period="2026年度"):
    for index in range(n_extra):
        person_create(by=None, unit=unit, name=f"评议对象{index}")
    return services.appraisal_create(campaign=campaign, unit=unit, period=period, by=None)


@pytest.mark.parametrize("graded,allowed", [(3, 1), (4, 1), (5, 1), (6, 2), (2, 0), (9, 3)])
def test_one_third_rule_rounds_down(campaign, graded, allowed):
    assert (
        services.grade_share_check(
            campaign=campaign, grades=["excellent"] * allowed + ["competent"] * (graded - allowed)
        )
        is None
    )
    with pytest.raises(ValidationError) as exc:
        services.grade_share_check(
            campaign=campaign,
            grades=["excellent"] * (allowed + 1) + ["competent"] * (graded - allowed - 1),
        )
    assert exc.value.messages == [f"优秀等次不得超过参评人数的三分之一（本次最多 {allowed} 人）"]


def test_flow_self_peer_grade_publish(campaign, org):
    appraisal = _appraisal(campaign, org.zengji, n_extra=1)  # 张伟, 刘芳, 评议对象0
    participants = {p.person.name: p for p in appraisal.participants.select_related("person")}
    assert set(participants) == {"张伟", "刘芳", "评议对象0"}
    me = participants["张伟"]
    services.appraisal_self_assess(participant=me, by=None, text="认真履职", grade="competent")
    others = {p.pk: "excellent" for n, p in participants.items() if n != "张伟"}
    services.peer_ballot_submit(appraisal=appraisal, assessor=me.person, grades=others, by=None)
    with pytest.raises(ValidationError) as exc:
        services.peer_ballot_submit(appraisal=appraisal, assessor=me.person, grades=others, by=None)
    assert exc.value.messages == [str(services.PEER_ALREADY_VOTED)]
    with pytest.raises(ValidationError):
        services.peer_ballot_submit(
            appraisal=appraisal, assessor=org.people["lishi_a"], grades=others, by=None
        )
    with pytest.raises(ValidationError):
        services.appraisal_grades_set(appraisal=appraisal, by=None, grades={me.pk: "excellent"})
    with pytest.raises(ValidationError) as exc:
        services.appraisal_close_assessment(appraisal=appraisal, by=None)
    assert exc.value.messages == [
        "3 名干部中已有 1 人提交互评票、1 人提交自我评价。确认后仍可结束评议。"
    ]
    services.appraisal_close_assessment(appraisal=appraisal, by=None, confirm_incomplete=True)
    with pytest.raises(ValidationError):
        services.appraisal_self_assess(participant=me, by=None, text="晚了")
    all_excellent = {p.pk: "excellent" for p in participants.values()}
    with pytest.raises(ValidationError):
        services.appraisal_grades_set(appraisal=appraisal, by=None, grades=all_excellent)
    with pytest.raises(ValidationError) as exc:
        services.appraisal_publish(appraisal=appraisal, by=None)
    assert exc.value.messages == [str(services.APPRAISAL_UNGRADED)]
    grades = {p.pk: "competent" for p in participants.values()}
    grades[participants["刘芳"].pk] = "excellent"
    services.appraisal_grades_set(appraisal=appraisal, by=None, grades=grades)
    services.appraisal_publish(appraisal=appraisal, by=None)
    assert appraisal.state == Appraisal.State.PUBLISHED
    summary, total = selectors.peer_summary(participant=participants["刘芳"])
    assert total == 1 and summary[0][2] == 1
    with pytest.raises(ValidationError):
        _appraisal(campaign, org.zengji)


def _published(campaign, org, users):
    """李市镇's appraisal: 王建国 (cadre_lishi) and 李秀英 grade each other; published."""
    appraisal = _appraisal(campaign, org.lishi)
    parts = {p.person.name: p for p in appraisal.participants.select_related("person")}
    a, b = parts["王建国"], parts["李秀英"]
    services.peer_ballot_submit(
        appraisal=appraisal, assessor=b.person, grades={a.pk: "excellent"}, by=None
    )
    services.appraisal_close_assessment(appraisal=appraisal, by=None, confirm_incomplete=True)
    services.appraisal_grades_set(
        appraisal=appraisal, by=None, grades={a.pk: "competent", b.pk: "competent"}
    )
    services.appraisal_publish(appraisal=appraisal, by=None)
    return appraisal


def test_assessed_cadre_never_sees_the_assessor(client, campaign, org, users):
    appraisal = _published(campaign, org, users)
    assert PeerAssessment.objects.filter(assessor=org.people["lishi_b"]).exists()
    login(client, users.cadre_lishi)
    for url in (
        reverse("appraisal:my_appraisals"),
        reverse("appraisal:my_appraisal", args=[appraisal.pk]),
    ):
        page = client.get(url).content.decode()
        assert "李秀英" not in page
    page = client.get(reverse("appraisal:my_appraisal", args=[appraisal.pk])).content.decode()
    assert "合格" in page and "优秀" in page  # own grade and the aggregated peer grades
    # the liaison's view shows counts per grade, never who voted
    login(client, users.liaison_lishi)
    detail = client.get(reverse("appraisal:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "李秀英" in detail  # as a participant, not as an assessor
    assert "assessor" not in detail


def test_appraisal_pages_access(client, campaign, org, users):
    lishi = _published(campaign, org, users)
    zengji = _appraisal(campaign, org.zengji)
    assert_access(
        client,
        reverse("appraisal:appraisal_list"),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 200,
            users.leader: 200,
            users.office: 200,
        },
    )
    assert_access(
        client,
        reverse("appraisal:appraisal_detail", args=[zengji.pk]),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.leader: 200,
            users.office: 200,
        },
    )
    assert_access(
        client,
        reverse("appraisal:my_appraisal", args=[lishi.pk]),
        {ANONYMOUS: 302, users.office: 403, users.cadre_lishi: 200},
    )
    assert_access(
        client, reverse("appraisal:my_appraisal", args=[zengji.pk]), {users.cadre_lishi: 404}
    )
    assert_access(
        client,
        reverse("appraisal:my_appraisals"),
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.cadre_lishi: 200},
    )
    assert_access(
        client,
        reverse("appraisal:appraisal_transition", args=[zengji.pk, "close"]),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.leader: 404,
            users.liaison_zengji: 302,
        },
        method="post",
    )


def _one_ballot(appraisal):
    first, *others = appraisal.participants.select_related("person")
    services.peer_ballot_submit(
        appraisal=appraisal,
        assessor=first.person,
        grades={p.pk: "competent" for p in others},
        by=None,
    )


def test_liaison_grades_through_the_page_with_the_rule(client, campaign, org, users):
    appraisal = _appraisal(campaign, org.zengji, n_extra=1)
    _one_ballot(appraisal)
    services.appraisal_close_assessment(appraisal=appraisal, by=None, confirm_incomplete=True)
    ids = list(appraisal.participants.values_list("pk", flat=True))
    login(client, users.liaison_zengji)
    url = reverse("appraisal:appraisal_detail", args=[appraisal.pk])
    response = client.post(
        url, {f"g_{ids[0]}": "excellent", f"g_{ids[1]}": "excellent", f"g_{ids[2]}": "competent"}
    )
    assert response.status_code == 200
    assert "优秀等次不得超过参评人数的三分之一（本次最多 1 人）" in response.content.decode()
    response = client.post(
        url,
        {
            f"g_{ids[0]}": "excellent",
            f"g_{ids[1]}": "competent",
            f"g_{ids[2]}": "basically_competent",
        },
    )
    assert response.status_code == 302
    login(client, users.leader)
    assert client.post(url, {f"g_{ids[0]}": "competent"}).status_code == 404


def test_cadre_votes_through_the_page_once(client, campaign, org, users):
    appraisal = _appraisal(campaign, org.lishi)
    other = appraisal.participants.exclude(person=org.people["lishi_a"]).get()
    login(client, users.cadre_lishi)
    url = reverse("appraisal:my_appraisal", args=[appraisal.pk])
    assert client.post(url, {"ballot": "1", f"p_{other.pk}": "excellent"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'id="ballot-done"' in page
    assert PeerAssessment.objects.count() == 1
    with pytest.raises(ValidationError):
        services.peer_ballot_submit(
            appraisal=appraisal,
            assessor=org.people["lishi_a"],
            grades={other.pk: "competent"},
            by=None,
        )
    assert (
        client.post(
            url, {"self": "1", "text": "按要求完成各项工作", "grade": "competent"}
        ).status_code
        == 302
    )


def test_appraisal_list_constant_queries(client, campaign, org, users):
    login(client, users.office)
    _appraisal(campaign, org.lishi, period="2025年度")
    periods = iter(range(100))

    def add_rows():
        for _n in range(3):
            _appraisal(campaign, org.zengji, period=f"第{next(periods)}期")

    assert_constant_queries(client, reverse("appraisal:appraisal_list"), add_rows, expected=7)


def test_appraisal_detail_constant_queries(client, campaign, org, users):
    login(client, users.office)
    appraisal = _appraisal(campaign, org.zengji, n_extra=1)
    counter = iter(range(100))

    def add_rows():
        from biaoshuai.appraisal.models import Participant

        for _n in range(3):
            person = person_create(by=None, unit=org.zengji, name=f"新增{next(counter)}")
            Participant.objects.create(appraisal=appraisal, person=person)

    assert_constant_queries(
        client, reverse("appraisal:appraisal_detail", args=[appraisal.pk]), add_rows, expected=7
    )


def test_the_assessment_is_not_closed_without_ballots_nor_unconfirmed(client, campaign, org, users):
    appraisal = _appraisal(campaign, org.zengji, n_extra=1)
    login(client, users.liaison_zengji)
    detail = reverse("appraisal:appraisal_detail", args=[appraisal.pk])
    close = reverse("appraisal:appraisal_transition", args=[appraisal.pk, "close"])
    page = client.get(detail).content.decode()
    assert "互评票 0/3 · 自我评价 0/3" in page
    # No ballot at all: refused, however the form is sent.
    page = client.post(close, {"confirm": "1"}, follow=True).content.decode()
    assert str(services.APPRAISAL_NO_BALLOTS) in page
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.OPEN

    _one_ballot(appraisal)
    page = client.get(detail).content.decode()
    assert "互评票 1/3 · 自我评价 0/3" in page and 'name="confirm"' in page
    page = client.post(close, follow=True).content.decode()
    assert "3 名干部中已有 1 人提交互评票、0 人提交自我评价" in page
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.OPEN
    client.post(close, {"confirm": "1"})
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.GRADING


def test_a_complete_assessment_closes_without_confirming(campaign, org):
    appraisal = _appraisal(campaign, org.lishi)
    parts = list(appraisal.participants.select_related("person"))
    for me in parts:
        services.appraisal_self_assess(participant=me, by=None, text="认真履职")
        services.peer_ballot_submit(
            appraisal=appraisal,
            assessor=me.person,
            grades={p.pk: "competent" for p in parts if p != me},
            by=None,
        )
    assert selectors.appraisal_progress(appraisal=appraisal)["complete"]
    services.appraisal_close_assessment(appraisal=appraisal, by=None)
    assert appraisal.state == Appraisal.State.GRADING
