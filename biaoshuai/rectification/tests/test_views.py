import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.testing import (
    ANONYMOUS,
    DAMAGES,
    assert_access,
    assert_constant_queries,
    damaged_xlsx,
    login,
)
from biaoshuai.notifications.services import notify
from biaoshuai.rectification import services
from biaoshuai.rectification.models import ProblemSource, RectificationItem

from .conftest import bring_to, refresh

State = RectificationItem.State


@pytest.fixture
def data(org, users, campaign, make_problem, make_item):
    lishi = make_problem(org.lishi, disclosure=Disclosure.PUBLIC)
    zengji = make_problem(org.zengji, description="会议多文件多")
    item = make_item(lishi)
    other = make_item(zengji)
    plan = services.plan_start(
        person=org.people["lishi_a"], campaign=campaign, by=users.cadre_lishi
    )
    measure = services.plan_measure_add(
        plan=plan,
        by=users.cadre_lishi,
        measure="每周学习一次",
        due_on=item.deadline,
        done_when="学习笔记",
    )
    other_plan = services.plan_start(
        person=org.people["zengji_a"], campaign=campaign, by=users.office
    )
    notify(recipients=[users.office], kind="rectification.item", text="提醒")
    services.deadline_change_request(
        item=other,
        by=users.office,
        proposed=other.deadline.replace(year=other.deadline.year + 1),
        reason="协调",
    )
    return type(
        "D",
        (),
        dict(
            lishi=lishi,
            zengji=zengji,
            item=item,
            other=other,
            plan=plan,
            measure=measure,
            other_plan=other_plan,
        ),
    )


def test_read_pages_access(client, users, data):
    everyone = {
        ANONYMOUS: 302,
        users.norole: 403,
        users.office: 200,
        users.leader: 200,
        users.liaison_lishi: 200,
        users.cadre_lishi: 200,
    }
    for name in ["ledger", "ledger_export", "problem_list", "plan_completion", "plan_home"]:
        assert_access(client, reverse(f"rectification:{name}"), everyone)
    for name, obj in [("problem_detail", data.lishi), ("item_detail", data.item)]:
        assert_access(
            client,
            reverse(f"rectification:{name}", args=[obj.pk]),
            {
                ANONYMOUS: 302,
                users.norole: 403,
                users.liaison_zengji: 404,
                users.liaison_lishi: 200,
                users.office: 200,
            },
        )
    assert_access(
        client,
        reverse("rectification:plan_detail", args=[data.plan.pk]),
        {
            ANONYMOUS: 302,
            users.liaison_zengji: 404,
            users.norole: 404,
            users.cadre_lishi: 200,
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )
    assert_access(
        client,
        reverse("rectification:plan_completion") + f"?unit={data.zengji.unit_id}",
        {users.liaison_lishi: 404, users.office: 200},
    )


def test_manage_pages_access(client, users, data):
    manage = {
        ANONYMOUS: 302,
        users.norole: 403,
        users.cadre_lishi: 403,
        users.leader: 403,
        users.liaison_lishi: 200,
        users.office: 200,
    }
    for name in ["problem_create", "ledger_import"]:
        assert_access(client, reverse(f"rectification:{name}"), manage)
    assert_access(
        client,
        reverse("rectification:problem_edit", args=[data.lishi.pk]),
        {**manage, users.liaison_zengji: 404},
    )
    assert_access(
        client,
        reverse("rectification:item_create", args=[data.lishi.pk]),
        {**manage, users.liaison_zengji: 404},
    )
    office = {ANONYMOUS: 302, users.liaison_lishi: 403, users.cadre_lishi: 403, users.office: 200}
    assert_access(client, reverse("rectification:deadline_change_list"), office)
    assert_access(
        client,
        reverse("rectification:plan_mine"),
        {ANONYMOUS: 302, users.office: 403, users.cadre_lishi: 302},
    )


def test_post_actions_access(client, users, data):
    item, other = data.item, data.other
    # Reporting: those who manage the unit; others in scope get 403, out of scope 404.
    url = reverse("rectification:item_start", args=[item.pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.liaison_zengji: 404,
            users.cadre_lishi: 403,
            users.leader: 403,
        },
        method="post",
    )
    assert_access(client, url, {users.liaison_lishi: 302}, method="post")
    assert refresh(item).state == State.IN_PROGRESS
    for name in ["item_progress", "item_submit", "deadline_change_request"]:
        assert_access(
            client,
            reverse(f"rectification:{name}", args=[other.pk]),
            {users.liaison_lishi: 404, users.cadre_lishi: 404},
            method="post",
        )
    for name in ["item_return", "item_close"]:
        assert_access(
            client,
            reverse(f"rectification:{name}", args=[item.pk]),
            {ANONYMOUS: 302, users.liaison_lishi: 403, users.cadre_lishi: 403},
            method="post",
        )
    # Plans: only the owner edits; the liaison of the unit reviews.
    plan = data.plan
    for name in ["plan_problem_add", "plan_measure_add", "plan_submit"]:
        assert_access(
            client,
            reverse(f"rectification:{name}", args=[plan.pk]),
            {ANONYMOUS: 302, users.liaison_zengji: 404, users.liaison_lishi: 403},
            method="post",
        )
    assert_access(
        client,
        reverse("rectification:plan_action", args=[data.measure.pk]),
        {users.liaison_lishi: 403, users.liaison_zengji: 404},
        method="post",
    )
    assert_access(
        client,
        reverse("rectification:plan_measure_remove", args=[data.measure.pk]),
        {users.liaison_lishi: 403},
        method="post",
    )
    assert_access(
        client,
        reverse("rectification:plan_review", args=[plan.pk]),
        {ANONYMOUS: 302, users.cadre_lishi: 403, users.liaison_zengji: 404, users.norole: 403},
        method="post",
    )
    assert_access(
        client,
        reverse("rectification:plan_review", args=[data.other_plan.pk]),
        {users.liaison_lishi: 404},
        method="post",
    )
    change = services.deadline_change_request(
        item=refresh(item),
        by=users.liaison_lishi,
        proposed=item.deadline.replace(year=item.deadline.year + 1),
        reason="协调",
    )
    assert_access(
        client,
        reverse("rectification:deadline_change_decide", args=[change.pk]),
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.office: 302},
        method="post",
        data={"decision": "approve"},
    )
    assert refresh(item).deadline == change.proposed


def test_public_board(client, users, data):
    bring_to(data.item, State.CLOSED, users.office)
    url = reverse("rectification_public:board")
    assert_access(client, url, {ANONYMOUS: 200, users.office: 200})
    body = client.get(url).content.decode()
    assert data.lishi.description in body
    assert "会议多文件多" not in body  # restricted
    assert "已销号" in body or "Closed" in body
    assert "users.office" not in body and "office" not in body.split("<main")[1]


def test_progress_return_resubmit_close_through_views(client, users, data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = data.item
    login(client, users.liaison_lishi)
    pdf = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    r = client.post(
        reverse("rectification:item_progress", args=[item.pk]),
        {"text": "已建立台账", "percent": 100, "files": [pdf]},
    )
    assert r.status_code == 302
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    r = client.post(
        reverse("rectification:item_progress", args=[item.pk]),
        {"text": "再次", "percent": 100, "files": [bad]},
    )
    assert r.status_code == 400 and "再次" in r.content.decode()
    client.post(reverse("rectification:item_submit", args=[item.pk]))
    evidence = refresh(item).updates.get().files.get()
    assert (
        client.get(reverse("rectification:evidence_download", args=[evidence.pk])).status_code
        == 200
    )
    login(client, users.liaison_zengji)
    assert (
        client.get(reverse("rectification:evidence_download", args=[evidence.pk])).status_code
        == 404
    )
    login(client, users.office)
    r = client.post(reverse("rectification:item_return", args=[item.pk]), {"reason": ""})
    assert r.status_code == 400
    client.post(reverse("rectification:item_return", args=[item.pk]), {"reason": "缺少照片"})
    assert refresh(item).state == State.RETURNED
    login(client, users.liaison_lishi)
    client.post(reverse("rectification:item_submit", args=[item.pk]))
    login(client, users.office)
    client.post(reverse("rectification:item_close", args=[item.pk]), {"note": "验收合格"})
    assert refresh(item).state == State.CLOSED


def test_ledger_htmx_partial_and_filters(client, users, data, make_item):
    make_item(data.lishi, days=-2, measure="逾期的措施")
    login(client, users.office)
    url = reverse("rectification:ledger") + "?urgency=overdue"
    r = client.get(url, headers={"HX-Request": "true"})
    body = r.content.decode()
    assert "<html" not in body and "逾期的措施" in body and "建立走访台账" not in body


@pytest.mark.parametrize(
    "name,expected",
    [
        ("ledger", 6),  # the unit filter is a picker: no choices read
        ("problem_list", 6),
        ("plan_home", 7),
        ("plan_completion", 6),
        ("deadline_change_list", 6),
    ],
)
def test_list_query_counts(
    client, users, data, make_problem, make_item, campaign, org, name, expected
):
    login(client, users.office)

    def add_rows():
        for n in range(3):
            problem = make_problem(org.zengji, description=f"问题{n}", disclosure=Disclosure.PUBLIC)
            parent = make_item(problem)
            child = make_item(problem, parent=parent)
            services.deadline_change_request(
                item=child,
                by=users.office,
                proposed=child.deadline.replace(year=child.deadline.year + 1),
                reason="r",
            )
        services.plan_measure_add(
            plan=data.other_plan,
            by=users.office,
            measure="m",
            due_on=parent.deadline,
            done_when="d",
        )
        notify(recipients=[users.office] * 3 + [users.leader], kind="rectification.item", text="t")

    assert_constant_queries(client, reverse(f"rectification:{name}"), add_rows, expected=expected)


def test_public_board_query_count(client, users, data, make_problem, make_item, org):
    def add_rows():
        for n in range(3):
            problem = make_problem(
                org.zengji, description=f"公开问题{n}", disclosure=Disclosure.PUBLIC
            )
            make_item(problem)
            make_item(problem)

    assert_constant_queries(client, reverse("rectification_public:board"), add_rows, expected=5)


def test_export_import_round_trip(client, users, data, make_item, campaign, org):
    problem = data.lishi
    parent = make_item(problem, measure="健全制度")
    make_item(problem, parent=parent, weight=2, measure="修订制度", unit=org.lishi_sub)
    child = make_item(problem, parent=parent, weight=1, measure="印发制度")
    bring_to(child, State.CLOSED, users.office)
    services.progress_record(item=refresh(data.item), by=users.office, text="x", percent=40)
    login(client, users.office)
    response = client.get(reverse("rectification:ledger_export"))
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value.endswith("整改台账")
    assert sheet.freeze_panes == "A4"
    assert sheet.page_setup.orientation == "landscape"

    def snapshot(campaign_):
        items = RectificationItem.objects.filter(problem__campaign=campaign_).order_by("id")
        return sorted(
            [
                (
                    i.problem.unit_id,
                    i.problem.dimension,
                    i.problem.description,
                    i.measure,
                    i.parent.measure if i.parent else None,
                    i.weight,
                    i.unit_id,
                    i.leader_name,
                    i.person_name,
                    i.kind,
                    i.deadline,
                    i.criteria,
                    i.progress,
                    i.state,
                    i.closed_on,
                )
                for i in items
            ],
            key=str,
        )

    before = snapshot(campaign)
    from biaoshuai.campaigns.services import campaign_create_from_template

    fresh = campaign_create_from_template(
        template_key="jiangdangxing", starts_on=campaign.starts_on, by=None, make_current=True
    )
    upload = SimpleUploadedFile("ledger.xlsx", content, content_type="application/octet-stream")
    r = client.post(reverse("rectification:ledger_import"), {"file": upload})
    assert r.status_code == 302, r.content.decode()[-3000:]
    assert snapshot(fresh) == before


def test_import_all_or_nothing_with_row_errors(client, users, data, campaign, org):
    from openpyxl import Workbook

    from biaoshuai.rectification.ledger import HEADERS

    wb = Workbook()
    ws = wb.active
    ws.append(["标题"])
    ws.append(["副标题"])
    ws.append(HEADERS)
    good = [
        1,
        "李市镇",
        "表率作用",
        "问题甲",
        "措施甲",
        None,
        1,
        "李市镇",
        "王",
        "李",
        "限期整改",
        "2030-01-01",
        "",
        0,
        "未开始",
        None,
    ]
    ws.append(good)
    ws.append(
        [
            2,
            "李市镇",
            "不存在",
            "问题乙",
            "措施乙",
            9,
            1,
            "曾集镇",
            "",
            "",
            "限期整改",
            "明天",
            "",
            150,
            "未开始",
            None,
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    login(client, users.liaison_lishi)
    before = RectificationItem.objects.count()
    r = client.post(
        reverse("rectification:ledger_import"),
        {"file": SimpleUploadedFile("l.xlsx", buffer.getvalue())},
    )
    assert r.status_code == 400
    errors = {(e.row, e.column) for e in r.context["errors"]}
    assert {
        (5, "问题类别"),
        (5, "上级措施序号"),
        (5, "责任单位"),
        (5, "完成时限"),
        (5, "整改进度(%)"),
    } <= errors
    assert RectificationItem.objects.count() == before


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_ledger_is_a_form_error_not_a_500(client, users, campaign, org, how):
    from openpyxl import Workbook

    from biaoshuai.rectification.ledger import HEADERS

    wb = Workbook()
    wb.active.append(list(HEADERS))
    for n in range(300):
        wb.active.append([n + 1, "李市镇", "", f"问题描述{n}" * 10, f"措施{n}" * 10])
    buffer = io.BytesIO()
    wb.save(buffer)
    login(client, users.office)
    before = RectificationItem.objects.count()
    r = client.post(
        reverse("rectification:ledger_import"),
        {"file": SimpleUploadedFile("l.xlsx", damaged_xlsx(buffer.getvalue(), how))},
    )
    assert r.status_code == 400
    assert "无法作为 Excel 工作簿（.xlsx）读取该文件" in r.content.decode()
    assert RectificationItem.objects.count() == before


def test_a_measure_shows_its_due_date_not_an_operator(client, users, data):
    login(client, users.cadre_lishi)
    page = client.get(reverse("rectification:plan_detail", args=[data.plan.pk])).content.decode()
    due = data.measure.due_on.strftime("%Y-%m-%d")
    assert f"应于 {due} 完成" in page
    assert f"操作人 {due}" not in page


def test_a_problems_sources_are_a_list(client, users, org, make_problem):
    sources = [
        (ProblemSource.Kind.OPINION, str(n), f"意见{n}：窗口办事要跑多趟") for n in range(12)
    ]
    problem = make_problem(org.lishi, sources=sources)
    login(client, users.office)
    page = client.get(reverse("rectification:problem_detail", args=[problem.pk])).content.decode()
    listed = page.split('data-testid="problem-sources">')[1].split("</ol>")[0]
    assert listed.count("<li>") == 12
