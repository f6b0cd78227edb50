"""Every page: who may reach it (anonymous, wrong role, other unit, right role), its query
count, and the flows through the forms."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.supervision import services
from biaoshuai.supervision.models import (
    Bulletin,
    Finding,
    SupervisionItem,
    SupervisionTask,
    UnitReport,
)
from biaoshuai.supervision.periods import report_periods

from .conftest import issue

pytestmark = pytest.mark.django_db
State = SupervisionTask.State


@pytest.fixture
def world(users, org, campaign):
    """A task for each township (李市镇's replied with a file), an inspection of 李市镇 with
    a finding, a report from 李市镇, and a bulletin awaiting approval."""
    item = issue(users, [org.lishi, org.zengji], campaign=campaign)
    lishi = item.tasks.get(unit=org.lishi)
    zengji = item.tasks.get(unit=org.zengji)
    services.task_sign(task=lishi, by=users.liaison_lishi)
    pdf = SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    services.task_reply(task=lishi, by=users.liaison_lishi, reply="已办", files=[pdf])
    inspection = services.inspection_create(
        by=users.office,
        campaign=campaign,
        unit=org.lishi,
        visited_on=timezone.localdate(),
        inspectors_text="督导组",
        findings=["学习笔记不全", "台账不规范"],
    )
    period = report_periods(campaign)[0]
    report = services.unit_report_submit(
        by=users.liaison_lishi,
        campaign=campaign,
        unit=org.lishi,
        period_start=period.start,
        text="本月情况",
        files=[SimpleUploadedFile("附件.pdf", b"%PDF-1.4 y", content_type="application/pdf")],
    )
    start = timezone.localdate().replace(day=1)
    bulletin = services.bulletin_generate(
        by=users.office, campaign=campaign, period_start=start, period_end=start
    )
    services.bulletin_submit(by=users.office, bulletin=bulletin)
    return type(
        "World",
        (),
        {
            "item": item,
            "lishi": lishi,
            "zengji": zengji,
            "inspection": inspection,
            "finding": inspection.findings.order_by("pk").first(),
            "report": report,
            "period": period,
            "bulletin": bulletin,
        },
    )


def test_task_pages_access(client, users, world):
    view = {
        ANONYMOUS: 302,
        users.norole: 403,
        users.secadmin: 404,  # 三员分立: no business page
        users.office: 200,
        users.leader: 200,
        users.liaison_lishi: 200,
        users.cadre_lishi: 200,
    }
    assert_access(client, reverse("supervision:task_list"), view)
    assert_access(client, reverse("supervision:task_detail", args=[world.lishi.pk]), view)
    assert_access(
        client,
        reverse("supervision:task_detail", args=[world.zengji.pk]),
        {users.liaison_lishi: 404, users.liaison_zengji: 200},
    )
    evidence = world.lishi.evidence.get()
    assert_access(
        client,
        reverse("supervision:evidence_download", args=[evidence.pk]),
        {ANONYMOUS: 302, users.norole: 403, users.liaison_zengji: 404, users.liaison_lishi: 200},
    )
    issuers = {
        ANONYMOUS: 302,
        users.liaison_lishi: 403,
        users.cadre_lishi: 403,
        users.office: 200,
        users.leader: 200,
    }
    assert_access(client, reverse("supervision:item_list"), issuers)
    assert_access(client, reverse("supervision:item_create"), issuers)
    assert_access(client, reverse("supervision:item_detail", args=[world.item.pk]), issuers)
    assert_access(
        client,
        reverse("supervision:task_reply", args=[world.zengji.pk]),
        {ANONYMOUS: 302, users.office: 403, users.liaison_lishi: 404, users.liaison_zengji: 200},
    )


def test_task_actions_access(client, users, world):
    url = reverse("supervision:task_sign", args=[world.zengji.pk])
    assert_access(
        client, url, {ANONYMOUS: 302, users.office: 403, users.liaison_lishi: 404}, method="post"
    )
    for name in ("task_accept", "task_return", "task_remind"):
        assert_access(
            client,
            reverse(f"supervision:{name}", args=[world.lishi.pk]),
            {ANONYMOUS: 302, users.liaison_lishi: 403, users.cadre_lishi: 403},
            method="post",
        )
    world.lishi.refresh_from_db()
    assert world.lishi.state == State.REPLIED


def test_liaison_sees_only_their_units_tasks(client, users, world):
    login(client, users.liaison_lishi)
    body = client.get(reverse("supervision:task_list")).content.decode()
    assert f'id="task-{world.lishi.pk}"' in body and f'id="task-{world.zengji.pk}"' not in body


def test_sign_reply_return_accept_through_the_pages(client, users, world):
    login(client, users.liaison_zengji)
    client.post(reverse("supervision:task_sign", args=[world.zengji.pk]))
    response = client.post(
        reverse("supervision:task_reply", args=[world.zengji.pk]),
        {"reply": "", "files": []},
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("supervision:task_reply", args=[world.zengji.pk]),
        {"reply": "已办理", "files": [bad]},
    )
    assert "已办理" in response.content.decode()  # the input is kept
    assert SupervisionTask.objects.get(pk=world.zengji.pk).state == State.SIGNED
    files = [
        SimpleUploadedFile("a.pdf", b"%PDF-1.4 a", content_type="application/pdf"),
        SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    ]
    response = client.post(
        reverse("supervision:task_reply", args=[world.zengji.pk]),
        {"reply": "已办理", "files": files},
    )
    assert response.status_code == 302
    task = SupervisionTask.objects.get(pk=world.zengji.pk)
    assert task.state == State.REPLIED and task.evidence.count() == 2
    login(client, users.office)
    response = client.post(reverse("supervision:task_return", args=[task.pk]), {"reason": ""})
    assert response.status_code == 400
    client.post(reverse("supervision:task_return", args=[task.pk]), {"reason": "材料不全"})
    assert SupervisionTask.objects.get(pk=task.pk).state == State.RETURNED
    client.post(reverse("supervision:task_remind", args=[task.pk]), {"note": "请抓紧"})
    assert task.events.get(action="remind").note == "请抓紧"
    login(client, users.liaison_zengji)
    home = client.get("/").content.decode()
    assert world.item.subject in home  # the reminder on the liaison's home page
    client.post(reverse("supervision:task_reply", args=[task.pk]), {"reply": "已补充"})
    login(client, users.office)
    client.post(reverse("supervision:task_accept", args=[task.pk]))
    assert SupervisionTask.objects.get(pk=task.pk).state == State.ACCEPTED


def test_issue_form(client, users, org, world):
    login(client, users.office)
    url = reverse("supervision:item_create")
    past = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "subject": "新的督办",
        "requirement": "要求",
        "deadline": past.isoformat(),
        "units": [org.lishi.pk],
        "issuer": "office",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "新的督办" in response.content.decode()
    data["deadline"] = (past + datetime.timedelta(days=9)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    assert SupervisionItem.objects.get(subject="新的督办").tasks.get().unit == org.lishi


def test_filters_and_htmx_partial(client, users, world):
    login(client, users.office)
    url = reverse("supervision:task_list")
    response = client.get(url, {"state": "replied"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="task-table">')
    assert f'id="task-{world.lishi.pk}"' in body and f'id="task-{world.zengji.pk}"' not in body
    response = client.get(url, {"warning": "red"})
    assert f'id="task-{world.lishi.pk}"' not in response.content.decode()


def test_inspection_pages(client, users, org, world):
    view = {
        ANONYMOUS: 302,
        users.norole: 403,
        users.office: 200,
        users.liaison_lishi: 200,
        users.liaison_zengji: 200,
    }
    assert_access(client, reverse("supervision:inspection_list"), view)
    detail = reverse("supervision:inspection_detail", args=[world.inspection.pk])
    assert_access(client, detail, {**view, users.liaison_zengji: 404})
    issuers = {ANONYMOUS: 302, users.liaison_lishi: 403, users.office: 200}
    assert_access(client, reverse("supervision:inspection_create"), issuers)
    assert_access(client, reverse("supervision:finding_to_item", args=[world.finding.pk]), issuers)
    assert_access(
        client,
        reverse("supervision:finding_add", args=[world.inspection.pk]),
        {ANONYMOUS: 302, users.liaison_lishi: 403},
        method="post",
    )
    assert_access(
        client,
        reverse("supervision:finding_to_problem", args=[world.finding.pk]),
        {ANONYMOUS: 302, users.liaison_lishi: 403},
        method="post",
    )


def test_findings_become_a_problem_and_an_item(client, users, org, campaign, world):
    login(client, users.office)
    first, second = world.inspection.findings.order_by("pk")
    dimension = campaign.choices("problem_dimensions")[0][0]
    client.post(
        reverse("supervision:finding_to_problem", args=[first.pk]), {"dimension": dimension}
    )
    first.refresh_from_db()
    assert first.problem_id

    response = client.post(
        reverse("supervision:finding_to_item", args=[second.pk]),
        {
            "subject": "完善台账",
            "requirement": "规范台账",
            "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "issuer": "office",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.item.tasks.get().unit == org.lishi
    # Once followed up, a finding cannot be followed up again.
    client.post(
        reverse("supervision:finding_to_problem", args=[second.pk]), {"dimension": dimension}
    )
    assert Finding.objects.get(pk=second.pk).problem_id is None
    page = client.get(reverse("supervision:inspection_detail", args=[world.inspection.pk]))
    assert "完善台账" in page.content.decode()


def test_finding_problem_has_the_inspection_as_its_source(users, org, campaign, world):
    dimension = campaign.choices("problem_dimensions")[0][0]
    problem = services.finding_to_problem(
        by=users.office, finding=world.finding, dimension=dimension
    )
    source = problem.sources.get()
    assert (source.kind, source.source_id) == ("inspection", str(world.finding.pk))
    assert "督办检查" in source.label


def test_report_pages(client, users, org, world):
    view = {
        ANONYMOUS: 302,
        users.norole: 403,
        users.office: 200,
        users.leader: 200,
        users.liaison_lishi: 200,
    }
    assert_access(client, reverse("supervision:report_table"), view)
    assert_access(client, reverse("supervision:report_list"), view)
    detail = reverse("supervision:report_detail", args=[world.report.pk])
    assert_access(client, detail, {**view, users.liaison_zengji: 404})
    attachment = world.report.attachments.get()
    assert_access(
        client,
        reverse("supervision:attachment_download", args=[attachment.pk]),
        {ANONYMOUS: 302, users.liaison_zengji: 404, users.liaison_lishi: 200},
    )
    submit = reverse("supervision:report_submit", args=[org.zengji.pk, world.period.key])
    assert_access(
        client,
        submit,
        {ANONYMOUS: 302, users.office: 403, users.liaison_lishi: 404, users.liaison_zengji: 200},
    )
    assert_access(
        client,
        reverse("supervision:report_submit", args=[org.zengji.pk, "1999-01"]),
        {users.liaison_zengji: 404},
    )
    assert_access(
        client,
        reverse("supervision:report_review", args=[world.report.pk]),
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403},
        method="post",
    )


def test_report_table_marks_missing_in_red(client, users, org, world):
    login(client, users.office)
    body = client.get(reverse("supervision:report_table"), {"all": "1"}).content.decode()
    assert "cell-missing" in body and "tone-danger" in body
    login(client, users.liaison_lishi)
    body = client.get(reverse("supervision:report_table"), {"all": "1"}).content.decode()
    assert "曾集镇" not in body and "李市镇" in body


def test_report_submit_review_and_return(client, users, org, world):
    login(client, users.liaison_zengji)
    url = reverse("supervision:report_submit", args=[org.zengji.pk, world.period.key])
    response = client.post(url, {"text": ""})
    assert response.status_code == 200
    response = client.post(url, {"text": "曾集镇本月情况"})
    report = UnitReport.objects.get(unit=org.zengji, period_start=world.period.start)
    assert response.status_code == 302 and report.is_late
    login(client, users.office)
    review = reverse("supervision:report_review", args=[report.pk])
    response = client.post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    client.post(review, {"decision": "return", "comment": "请补充"})
    assert UnitReport.objects.get(pk=report.pk).state == UnitReport.State.RETURNED
    login(client, users.liaison_zengji)
    client.post(url, {"text": "补充后的情况"})
    login(client, users.office)
    client.post(review, {"decision": "review", "comment": "已阅"})
    report.refresh_from_db()
    assert report.state == UnitReport.State.REVIEWED and report.text == "补充后的情况"


def test_bulletin_pages(client, users, world):
    signed_in = {ANONYMOUS: 302, users.office: 200, users.leader: 200}
    assert_access(client, reverse("supervision:bulletin_list"), signed_in)
    detail = reverse("supervision:bulletin_detail", args=[world.bulletin.pk])
    # Not yet published: only those who see the whole campaign reach it.
    assert_access(client, detail, {**signed_in, users.liaison_lishi: 404, users.norole: 404})
    assert_access(
        client,
        reverse("supervision:bulletin_download", args=[world.bulletin.pk]),
        {ANONYMOUS: 302, users.liaison_lishi: 404, users.leader: 200},
    )
    office_only = {ANONYMOUS: 302, users.leader: 403, users.liaison_lishi: 403}
    assert_access(
        client, reverse("supervision:bulletin_edit", args=[world.bulletin.pk]), office_only
    )
    for name in ("bulletin_submit", "bulletin_publish"):
        url = reverse(f"supervision:{name}", args=[world.bulletin.pk])
        assert_access(client, url, office_only, method="post")
    assert_access(client, reverse("supervision:bulletin_generate"), office_only, method="post")
    for name in ("bulletin_approve", "bulletin_return"):
        url = reverse(f"supervision:{name}", args=[world.bulletin.pk])
        assert_access(
            client,
            url,
            {ANONYMOUS: 302, users.office: 403, users.liaison_lishi: 403},
            method="post",
        )
    world.bulletin.refresh_from_db()
    assert world.bulletin.state == Bulletin.State.SUBMITTED


def test_bulletin_flow_through_the_pages(client, users, world):
    login(client, users.leader)
    url = reverse("supervision:bulletin_return", args=[world.bulletin.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "补充批评内容"})
    login(client, users.office)
    edit = reverse("supervision:bulletin_edit", args=[world.bulletin.pk])
    form = client.get(edit).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["opening"] = "新的开头段落。"
    assert client.post(edit, data).status_code == 302
    client.post(reverse("supervision:bulletin_submit", args=[world.bulletin.pk]))
    login(client, users.leader)
    client.post(reverse("supervision:bulletin_approve", args=[world.bulletin.pk]))
    login(client, users.office)
    assert client.get(edit).status_code == 403  # approved: no more edits
    client.post(
        reverse("supervision:bulletin_publish", args=[world.bulletin.pk]),
        {"disclosure": Disclosure.PUBLIC},
    )
    bulletin = Bulletin.objects.get(pk=world.bulletin.pk)
    assert bulletin.state == Bulletin.State.PUBLISHED and bulletin.opening == "新的开头段落。"
    response = client.get(reverse("supervision:bulletin_download", args=[bulletin.pk]))
    document = Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert bulletin.document_number in [p.text for p in document.paragraphs]
    # Public now: the portal lists it, and anyone downloads it.
    client.logout()
    assert_access(
        client,
        reverse("supervision_public:bulletin_list"),
        {ANONYMOUS: 200, users.liaison_lishi: 200},
    )
    assert (
        bulletin.title in client.get(reverse("supervision_public:bulletin_list")).content.decode()
    )
    assert_access(
        client, reverse("supervision_public:bulletin_detail", args=[bulletin.pk]), {ANONYMOUS: 200}
    )
    assert_access(
        client,
        reverse("supervision_public:bulletin_download", args=[bulletin.pk]),
        {ANONYMOUS: 200},
    )
    assert_access(
        client,
        reverse("supervision:bulletin_detail", args=[bulletin.pk]),
        {users.liaison_lishi: 200},
    )


def test_public_pages_show_only_public_published(client, users, campaign, world):
    assert_access(
        client,
        reverse("supervision_public:bulletin_detail", args=[world.bulletin.pk]),
        {ANONYMOUS: 404},
    )
    assert_access(
        client,
        reverse("supervision_public:bulletin_download", args=[world.bulletin.pk]),
        {ANONYMOUS: 404},
    )
    services.bulletin_approve(by=users.leader, bulletin=world.bulletin)
    services.bulletin_publish(
        by=users.office, bulletin=world.bulletin, disclosure=Disclosure.INTERNAL
    )
    assert_access(
        client,
        reverse("supervision_public:bulletin_detail", args=[world.bulletin.pk]),
        {ANONYMOUS: 404},
    )
    assert_access(
        client,
        reverse("supervision:bulletin_detail", args=[world.bulletin.pk]),
        {users.liaison_lishi: 200, users.norole: 200},
    )


def test_bulletin_generate_page(client, users, world):
    login(client, users.office)
    response = client.post(reverse("supervision:bulletin_generate"), {"month": "bad"})
    assert response.status_code == 302 and Bulletin.objects.count() == 1
    month = timezone.localdate().strftime("%Y-%m")
    response = client.post(reverse("supervision:bulletin_generate"), {"month": month})
    assert Bulletin.objects.count() == 2
    bulletin = Bulletin.objects.order_by("-pk").first()
    assert response.url == reverse("supervision:bulletin_detail", args=[bulletin.pk])
    assert bulletin.figures["ranking"] is True  # assessment's ranking
    page = client.get(response.url).content.decode()
    assert bulletin.title in page and "李市镇" in page


# Query counts: each list stays the same when rows are added.


def test_query_counts(client, users, org, campaign, world):
    login(client, users.office)

    def more_tasks():
        for n in range(3):
            item = issue(users, [org.lishi, org.zengji], campaign=campaign, subject=f"事项{n}")
            services.task_sign(task=item.tasks.get(unit=org.lishi), by=users.liaison_lishi)

    assert_constant_queries(
        client, reverse("supervision:task_list"), more_tasks, expected=_q("tasks")
    )
    assert_constant_queries(
        client, reverse("supervision:item_list"), more_tasks, expected=_q("items")
    )
    assert_constant_queries(
        client,
        reverse("supervision:item_detail", args=[world.item.pk]),
        lambda: services.task_sign(task=world.zengji, by=users.liaison_zengji),
        expected=_q("item"),
    )

    def more_inspections():
        for n in range(3):
            services.inspection_create(
                by=users.office,
                campaign=campaign,
                unit=org.zengji,
                visited_on=timezone.localdate(),
                findings=[f"发现{n}", "另一条"],
            )

    assert_constant_queries(
        client,
        reverse("supervision:inspection_list"),
        more_inspections,
        expected=_q("inspections"),
    )

    def more_reports():
        for period in report_periods(campaign)[1:3]:
            services.unit_report_submit(
                by=users.liaison_zengji,
                campaign=campaign,
                unit=org.zengji,
                period_start=period.start,
                text="情况",
            )

    assert_constant_queries(
        client, reverse("supervision:report_table"), more_reports, expected=_q("report_table")
    )
    assert_constant_queries(
        client,
        reverse("supervision:report_list"),
        more_reports_again(users, org, campaign),
        expected=_q("report_list"),
    )

    def more_bulletins():
        start = timezone.localdate().replace(day=1)
        for _ in range(2):
            services.bulletin_generate(
                by=users.office, campaign=campaign, period_start=start, period_end=start
            )

    assert_constant_queries(
        client, reverse("supervision:bulletin_list"), more_bulletins, expected=_q("bulletins")
    )


def more_reports_again(users, org, campaign):
    def add():
        for period in report_periods(campaign)[3:5]:
            services.unit_report_submit(
                by=users.liaison_zengji,
                campaign=campaign,
                unit=org.zengji,
                period_start=period.start,
                text="情况",
            )

    return add


def test_public_list_query_count(client, users, campaign, world):
    def publish(bulletin):
        bulletin.refresh_from_db()
        if bulletin.state == Bulletin.State.DRAFT:
            services.bulletin_submit(by=users.office, bulletin=bulletin)
        services.bulletin_approve(by=users.leader, bulletin=bulletin)
        services.bulletin_publish(by=users.office, bulletin=bulletin, disclosure=Disclosure.PUBLIC)

    publish(world.bulletin)

    def publish_more():
        start = timezone.localdate().replace(day=1)
        for _ in range(2):
            publish(
                services.bulletin_generate(
                    by=users.office, campaign=campaign, period_start=start, period_end=start
                )
            )

    assert_constant_queries(
        client,
        reverse("supervision_public:bulletin_list"),
        publish_more,
        expected=_q("public_bulletins"),
    )


# Pages that do not read the campaign themselves make one query for the menu's campaign.
QUERIES = {
    "tasks": 7,
    "items": 6,
    "item": 7,
    "inspections": 6,
    "report_table": 7,
    "report_list": 7,
    "bulletins": 6,
    "public_bulletins": 3,
}


def _q(name):
    return QUERIES[name]
