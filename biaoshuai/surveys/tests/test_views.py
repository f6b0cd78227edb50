import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.org.services import person_create
from biaoshuai.surveys import services
from biaoshuai.surveys.models import Question, Response

from .factories import answers_for, post_data, survey_with_questions


@pytest.fixture
def zengji_survey(campaign, org, users):
    return survey_with_questions(campaign=campaign, unit=org.zengji, audience="cadres")


def test_back_office_list_access(client, users, cadre_survey):
    assert_access(
        client,
        reverse("surveys:survey_list"),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 200,
            users.office: 200,
            users.leader: 200,
        },
    )


@pytest.mark.parametrize(
    "name",
    ["survey_detail", "survey_compare"],
)
def test_survey_pages_access(client, users, cadre_survey, zengji_survey, name):
    assert_access(
        client,
        reverse(f"surveys:{name}", args=[zengji_survey.pk]),
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
        reverse(f"surveys:{name}", args=[cadre_survey.pk]),
        {users.liaison_zengji: 404, users.office: 200},
    )


@pytest.mark.parametrize(
    "name", ["survey_edit", "section_create", "question_create", "round_create"]
)
def test_building_pages_access(client, users, zengji_survey, name):
    assert_access(
        client,
        reverse(f"surveys:{name}", args=[zengji_survey.pk]),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.leader: 403,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.office: 200,
        },
    )


@pytest.mark.parametrize("name", ["round_results", "round_export"])
def test_round_pages_access(client, users, zengji_survey, name):
    assert_access(
        client,
        reverse(f"surveys:{name}", args=[zengji_survey.round.pk]),
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


def test_text_answers_access_and_listing(client, users, zengji_survey, org):
    services.response_submit_cadre(
        survey_round=zengji_survey.round,
        person=org.people["zengji_a"],
        answers=answers_for(zengji_survey, text="希望公开选拔结果"),
    )
    url = reverse("surveys:round_texts", args=[zengji_survey.round.pk, zengji_survey.q_text.pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.office: 200,
        },
    )
    login(client, users.office)
    assert "希望公开选拔结果" in client.get(url).content.decode()
    other = reverse("surveys:round_texts", args=[zengji_survey.round.pk, zengji_survey.q_single.pk])
    assert client.get(other).status_code == 404


def test_survey_create_and_build(client, users, campaign, org):
    login(client, users.office)
    response = client.post(
        reverse("surveys:survey_create"),
        {
            "title": "选人用人公信度测评",
            "audience": "public",
            "unit": org.department.pk,
            "in_assessment": "on",
        },
    )
    assert response.status_code == 302
    survey = campaign.surveys.get()
    response = client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {"kind": "single", "text": "您的身份", "required": "on", "options": "干部\n群众"},
    )
    assert response.status_code == 302
    # a bad question keeps the input and says what to fix
    response = client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {"kind": "single", "text": "只有一个选项", "options": "唯一"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "只有一个选项" in page and "至少" in page
    response = client.post(
        reverse("surveys:round_create", args=[survey.pk]),
        {"name": "2026年", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert response.status_code == 302
    survey_round = survey.rounds.get()
    client.post(reverse("surveys:round_transition", args=[survey_round.pk, "open"]))
    survey_round.refresh_from_db()
    assert survey_round.state == "open"


def test_locked_questions_refused_with_message(client, users, cadre_survey, org):
    services.response_submit_cadre(
        survey_round=cadre_survey.round,
        person=org.people["lishi_a"],
        answers=answers_for(cadre_survey),
    )
    login(client, users.office)
    detail = client.get(reverse("surveys:survey_detail", args=[cadre_survey.pk])).content.decode()
    assert "题目已锁定" in detail
    response = client.post(
        reverse("surveys:question_edit", args=[cadre_survey.q_single.pk]),
        {"kind": "single", "text": "改动", "required": "on", "options": "a\nb"},
    )
    assert response.status_code == 200
    assert "题目已锁定" in response.content.decode()
    assert Question.objects.get(pk=cadre_survey.q_single.pk).text == "您的身份"
    response = client.post(
        reverse("surveys:question_delete", args=[cadre_survey.q_single.pk]), follow=True
    )
    assert "题目已锁定" in response.content.decode()


def test_cadre_answers_once_through_the_page(client, users, cadre_survey, zengji_survey, org):
    url = reverse("surveys:answer", args=[cadre_survey.round.pk])
    assert_access(
        client,
        url,
        {ANONYMOUS: 302, users.norole: 403, users.liaison_lishi: 403, users.cadre_lishi: 200},
    )
    assert_access(
        client, reverse("surveys:answer", args=[zengji_survey.round.pk]), {users.cadre_lishi: 404}
    )
    assert_access(
        client,
        reverse("surveys:my_surveys"),
        {ANONYMOUS: 302, users.office: 403, users.cadre_lishi: 200},
    )
    login(client, users.cadre_lishi)
    bad = client.post(url, {**post_data(cadre_survey), f"q{cadre_survey.q_rating.pk}": ""})
    assert bad.status_code == 200 and "border-danger" in bad.content.decode()
    assert not Response.objects.exists()
    response = client.post(url, post_data(cadre_survey))
    assert response.status_code == 302
    assert response.url == reverse("surveys:thanks", args=[cadre_survey.round.pk])
    again = client.get(url)
    assert "您已经填写过" in again.content.decode()
    again = client.post(url, post_data(cadre_survey))
    assert again.status_code == 200 and "您已经填写过" in again.content.decode()
    assert Response.objects.filter(round=cadre_survey.round).count() == 1
    mine = client.get(reverse("surveys:my_surveys")).content.decode()
    assert "已填写" in mine


def test_public_answer_once_per_session_and_capped_per_ip(
    client, users, public_survey, org, settings
):
    settings.SURVEYS_PUBLIC_PER_IP_PER_DAY = 2
    url = reverse("surveys_public:answer", args=[public_survey.round.pk])
    assert client.get(reverse("surveys_public:list")).status_code == 200
    assert client.get(url).status_code == 200
    # a POST without having opened the page (no session) is refused
    from django.test import Client

    bare = Client()
    response = bare.post(url, post_data(public_survey, unit=org.lishi))
    assert response.status_code == 200 and "请先打开问卷页面" in response.content.decode()
    response = client.post(url, post_data(public_survey, unit=org.lishi))
    assert response.status_code == 302
    again = client.post(url, post_data(public_survey, unit=org.lishi))
    assert "您已经填写过" in again.content.decode()
    # a new browser from the same address: accepted up to the day's cap, then refused
    second = Client()
    second.get(url)
    assert second.post(url, post_data(public_survey, unit=org.zengji)).status_code == 302
    third = Client()
    third.get(url)
    refused = third.post(url, post_data(public_survey, unit=org.zengji))
    assert refused.status_code == 200 and "次数过多" in refused.content.decode()
    assert Response.objects.filter(round=public_survey.round).count() == 2
    assert set(Response.objects.values_list("unit__name", flat=True)) == {"李市镇", "曾集镇"}


def test_public_pages_show_only_public_rounds(client, cadre_survey, public_survey):
    assert (
        client.get(reverse("surveys_public:answer", args=[cadre_survey.round.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("surveys_public:thanks", args=[cadre_survey.round.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("surveys_public:thanks", args=[public_survey.round.pk])).status_code
        == 200
    )
    page = client.get(reverse("surveys_public:list")).content.decode()
    assert public_survey.title in page
    assert page.count(f"surveys/{cadre_survey.round.pk}/") == 0


def test_results_page_constant_queries(client, users, cadre_survey, org):
    login(client, users.office)
    url = reverse("surveys:round_results", args=[cadre_survey.round.pk])
    counter = iter(range(1000))

    def add_rows():
        for _n in range(5):
            person = person_create(by=None, unit=org.lishi, name=f"答卷人{next(counter)}")
            services.response_submit_cadre(
                survey_round=cadre_survey.round,
                person=person,
                answers=answers_for(cadre_survey, text="意见"),
            )

    assert_constant_queries(client, url, add_rows, expected=8)
    page = client.get(url).content.decode()
    assert "survey-charts" in page and "echarts.min.js" in page


@pytest.mark.parametrize(
    "name,args,expected",
    [
        ("survey_list", lambda s: [], 6),
        ("survey_compare", lambda s: [s.pk], 8),
        ("round_texts", lambda s: [s.round.pk, s.q_text.pk], 8),
    ],
)
def test_lists_constant_queries(client, users, cadre_survey, org, campaign, name, args, expected):
    login(client, users.office)
    url = reverse(f"surveys:{name}", args=args(cadre_survey))
    counter = iter(range(1000))

    def add_rows():
        survey_with_questions(campaign=campaign, unit=org.department, audience="public")
        for _n in range(3):
            person = person_create(by=None, unit=org.zengji, name=f"答卷人{next(counter)}")
            services.response_submit_cadre(
                survey_round=cadre_survey.round,
                person=person,
                answers=answers_for(cadre_survey, text="意见"),
            )

    add_rows()
    assert_constant_queries(client, url, add_rows, expected=expected)


def test_export_one_row_per_response(client, users, cadre_survey, org):
    for key in ("lishi_a", "zengji_a"):
        services.response_submit_cadre(
            survey_round=cadre_survey.round,
            person=org.people[key],
            answers=answers_for(cadre_survey, multiple=(0, 3), matrix=(1, 2), text="加强宣传"),
        )
    login(client, users.office)
    response = client.get(reverse("surveys:round_export", args=[cadre_survey.round.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "提交时间", "单位")
    assert "对以下方面的评价：选人用人" in rows[1]
    assert len(rows) == 4
    assert rows[2][2] == "李市镇" and rows[3][2] == "曾集镇"
    assert "政府网站；微信" in rows[2]
    assert "满意" in rows[2] and "基本满意" in rows[2] and "加强宣传" in rows[2]


def test_export_writes_formula_text_as_text(client, users, public_survey):
    """Public answers that look like formulas come out as the same text, never live."""
    formulas = ['=HYPERLINK("http://x","y")', "+1+2", "-3+4", "@SUM(A1)"]
    for number, text in enumerate(formulas):
        services.response_submit_public(
            survey_round=public_survey.round,
            session_key=f"s{number}",
            ip=f"203.0.113.{number}",
            answers=answers_for(public_survey, text=text),
        )
    login(client, users.office)
    response = client.get(reverse("surveys:round_export", args=[public_survey.round.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {c.value: c for row in book.active.iter_rows() for c in row if c.value in formulas}
    assert set(cells) == set(formulas)  # every answer as written
    for cell in cells.values():
        assert cell.data_type == "s" and cell.quotePrefix
    assert not [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]


def test_a_large_export_is_a_task_with_formula_texts_kept(
    client, users, public_survey, settings, tmp_path, django_capture_on_commit_callbacks
):
    from biaoshuai.core.models import ExportJob

    settings.EXPORT_TASK_ROWS, settings.EXPORT_ROOT = 1, tmp_path
    formulas = ['=HYPERLINK("http://x","y")', "+1+2", "-3+4", "@SUM(A1)"]
    for number, text in enumerate(formulas):
        services.response_submit_public(
            survey_round=public_survey.round,
            session_key=f"s{number}",
            ip=f"203.0.113.{number}",
            answers=answers_for(public_survey, text=text),
        )
    url = reverse("surveys:round_export", args=[public_survey.round.pk])
    assert_access(client, url, {users.liaison_zengji: 404, users.sysadmin: 404})
    assert not ExportJob.objects.exists()
    login(client, users.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.state == "done" and job.rows_done == 4
    download = client.get(reverse("core:export_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    cells = {c.value: c for row in book.active.iter_rows() for c in row if c.value in formulas}
    assert set(cells) == set(formulas)
    for cell in cells.values():
        assert cell.data_type == "s" and cell.quotePrefix
