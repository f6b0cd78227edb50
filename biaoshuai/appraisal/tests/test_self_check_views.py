from django.urls import reverse

from biaoshuai.appraisal import services
from biaoshuai.appraisal.models import SelfCheck
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.org.services import person_create

from .factories import full_answers, self_check_submitted


def test_self_check_pages_access(client, campaign, org, users):
    mine = self_check_submitted(person=org.people["lishi_a"], campaign=campaign)
    zengji = self_check_submitted(person=org.people["zengji_a"], campaign=campaign)
    assert_access(
        client,
        reverse("appraisal:self_check_mine"),
        {ANONYMOUS: 302, users.norole: 403, users.office: 403, users.cadre_lishi: 200},
    )
    assert_access(
        client,
        reverse("appraisal:self_check_overview"),
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
        reverse("appraisal:self_check_unit", args=[org.zengji.pk]),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.office: 200,
        },
    )
    assert_access(
        client,
        reverse("appraisal:self_check_detail", args=[zengji.pk]),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 404,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.leader: 200,
            users.office: 200,
        },
    )
    assert_access(
        client,
        reverse("appraisal:self_check_detail", args=[mine.pk]),
        {users.cadre_lishi: 200, users.liaison_lishi: 200, users.liaison_zengji: 404},
    )
    assert_access(
        client,
        reverse("appraisal:self_check_return", args=[zengji.pk]),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.leader: 404,
            users.liaison_zengji: 302,
        },
        method="post",
        data={"note": "请补充问题"},
    )
    zengji.refresh_from_db()
    assert zengji.state == SelfCheck.State.DRAFT


def test_cadre_fills_and_submits(client, campaign, org, users):
    login(client, users.cadre_lishi)
    url = reverse("appraisal:self_check_mine")
    data = {
        f"r_{key}_{i}": rating
        for key, ratings in full_answers(campaign).items()
        for i, rating in enumerate(ratings)
    }
    data["f_party_spirit"] = "理论学习不够系统\n联系群众不够紧密"
    response = client.post(url, {**data, "draft": "1"})
    assert response.status_code == 302
    check = SelfCheck.objects.get()
    assert check.state == SelfCheck.State.DRAFT and check.findings.count() == 2
    page = client.get(url).content.decode()
    assert "联系群众不够紧密" in page
    response = client.post(url, {"f_party_spirit": "x", "submit": "1"})
    assert (
        response.status_code == 200
        and "请对每一项作出自我评价后再提交" in response.content.decode()
    )
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.state == SelfCheck.State.SUBMITTED
    page = client.get(url).content.decode()
    assert "理论学习不够系统" in page and "已提交" in page


def test_overview_and_roster_constant_queries(client, campaign, org, users):
    login(client, users.office)
    counter = iter(range(1000))

    def add_rows():
        for _n in range(3):
            person = person_create(by=None, unit=org.zengji, name=f"干部{next(counter)}")
            self_check_submitted(person=person, campaign=campaign)
            services.self_check_save(
                person=person_create(by=None, unit=org.lishi, name=f"干部{next(counter)}"),
                campaign=campaign,
                by=None,
                answers={},
                findings={},
            )

    add_rows()
    assert_constant_queries(client, reverse("appraisal:self_check_overview"), add_rows, expected=6)
    assert_constant_queries(
        client,
        reverse("appraisal:self_check_unit", args=[org.department.pk]),
        add_rows,
        expected=7,
    )
    page = client.get(reverse("appraisal:self_check_unit", args=[org.zengji.pk])).content.decode()
    assert "干部0" in page
