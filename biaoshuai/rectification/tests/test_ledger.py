"""The ledger's denormalised columns, its pages and the queries behind them."""

import datetime
import io

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from biaoshuai.core.testing import login
from biaoshuai.rectification import selectors, services
from biaoshuai.rectification.ledger import HEADERS, PARENT, ledger_read
from biaoshuai.rectification.models import RectificationItem

from .conftest import bring_to, refresh

State = RectificationItem.State


def assert_items_repeat_their_problem():
    """No item anywhere whose campaign or dimension differs from its problem's."""
    differing = RectificationItem.objects.filter(
        ~Q(campaign=F("problem__campaign")) | ~Q(dimension=F("problem__dimension"))
    )
    assert list(differing.values_list("pk", "campaign_id", "dimension")) == []
    assert RectificationItem.objects.exists()


def test_items_repeat_problem_campaign_and_dimension_after_every_service(
    org, users, campaign, make_problem, make_item
):
    problem = make_problem(org.lishi, dimension="exemplary_role")
    parent = make_item(problem)
    child = make_item(problem, parent=parent, unit=org.lishi_sub)
    assert (parent.campaign_id, parent.dimension) == (campaign.pk, "exemplary_role")
    assert_items_repeat_their_problem()

    for state in (State.IN_PROGRESS, State.SUBMITTED, State.RETURNED):
        item = make_item(problem)
        bring_to(item, state, users.office)
        assert_items_repeat_their_problem()
    bring_to(child, State.CLOSED, users.office)
    services.deadline_change_request(
        item=refresh(parent),
        by=users.office,
        proposed=parent.deadline + datetime.timedelta(days=10),
        reason="协调",
    )
    services.deadline_change_decide(
        change=parent.deadline_changes.get(), by=users.office, approve=True
    )
    assert_items_repeat_their_problem()

    other = next(k for k, _n in campaign.choices("problem_dimensions") if k != "exemplary_role")
    services.problem_update(problem=problem, by=users.office, dimension=other)
    assert set(problem.items.values_list("dimension", flat=True)) == {other}
    assert_items_repeat_their_problem()
    services.problem_update(problem=problem, by=users.office, description="改了描述")
    assert_items_repeat_their_problem()


def test_imported_items_repeat_their_problem(org, users, campaign):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["台账"])
    sheet.append([""])
    sheet.append(HEADERS)
    dims = dict(campaign.choices("problem_dimensions"))
    kinds = dict(campaign.choices("rectification_kinds"))
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    for number, parent in (("1", ""), ("2", "1")):
        row = dict.fromkeys(HEADERS, "")
        row.update(
            {
                "序号": number,
                "问题所属单位": org.lishi.name,
                "问题类别": next(iter(dims.values())),
                "存在问题": "调研不深入",
                "整改措施": f"措施{number}",
                PARENT: parent,
                "责任单位": org.lishi.name,
                "整改类型": next(iter(kinds.values())),
                "完成时限": deadline,
            }
        )
        sheet.append([row[h] for h in HEADERS])
    handle = io.BytesIO()
    workbook.save(handle)
    handle.seek(0)
    plan = ledger_read(file=handle, user=users.office, campaign=campaign)
    assert plan.ok, plan.errors
    services.ledger_import(by=users.office, campaign=campaign, plan=plan)
    assert RectificationItem.objects.filter(campaign=campaign).count() == 2
    assert_items_repeat_their_problem()


@pytest.fixture
def many(org, users, campaign, make_problem, make_item):
    """31 items over three problems and two units, in every state, some overdue."""
    problems = [
        make_problem(org.lishi, description="问题甲"),
        make_problem(org.zengji, description="问题乙", dimension="exemplary_role"),
        make_problem(org.lishi, description="问题丙"),
    ]
    states = [State.PLANNED, State.IN_PROGRESS, State.SUBMITTED, State.CLOSED]
    for n in range(31):
        problem = problems[n % 3]
        item = make_item(problem, days=(-5, 3, 20, 40)[n % 4], measure=f"措施{n}")
        if n % 5 == 0:
            bring_to(item, states[n % 4], users.office)
    return problems


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"state": State.PLANNED},
        {"urgency": "overdue"},
        {"urgency": "due_soon"},
        {"dimension": "exemplary_role"},
        {"q": "措施1"},
    ],
)
@pytest.mark.parametrize("per_page", [4, 7, 31, 40])
def test_ledger_pages_are_those_of_a_plain_slice(users, campaign, many, filters, per_page):
    items = selectors.ledger_items(user=users.office, campaign=campaign, **filters)
    plain = Paginator(items, per_page)
    ledger = selectors.LedgerPaginator(items, per_page)
    assert ledger.count == plain.count > 0
    assert ledger.num_pages == plain.num_pages
    for number in plain.page_range:
        assert [i.pk for i in ledger.page(number)] == [i.pk for i in plain.page(number)]
    page = selectors.ledger_page(items=items, number="999", per_page=per_page)
    assert page.number == plain.num_pages


def test_ledger_unit_filter_and_scope(users, campaign, many, org):
    mine = selectors.ledger_items(user=users.liaison_lishi, campaign=campaign)
    assert mine.count() == RectificationItem.objects.filter(unit__in=[org.lishi]).count() > 0
    subtree = selectors.ledger_items(user=users.office, campaign=campaign, unit=org.zengji)
    assert {i.unit_id for i in subtree} == {org.zengji.pk}


def test_ledger_counts_and_pages_without_joining_problems(client, users, campaign, many):
    """The count and the choice of a page's rows read the items table alone (the ledger
    indexes); only the page's own rows are joined to their problems."""
    login(client, users.office)
    for query in ["", "?state=closed", "?urgency=overdue", "?dimension=exemplary_role&page=2"]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("rectification:ledger") + query)
        assert response.status_code == 200
        ledger = [q["sql"] for q in captured if "rectification_rectificationitem" in q["sql"]]
        count = next(sql for sql in ledger if "COUNT(" in sql)
        assert "rectification_problem" not in count, count
        rows = next(sql for sql in ledger if "COUNT(" not in sql)
        inner = rows[rows.index(" IN (SELECT") :]
        assert "rectification_problem" not in inner.split(")")[0], rows
        assert "LIMIT" in inner


def test_export_numbers_parents_within_their_problem(client, users, campaign, org, many):
    problem = many[0]
    parent = RectificationItem.objects.filter(problem=problem, state=State.PLANNED).first()
    child = services.item_create(
        by=users.office,
        problem=problem,
        parent=parent,
        measure="子措施",
        unit=org.lishi,
        kind="by_deadline",
        deadline=parent.deadline,
    )
    login(client, users.office)
    response = client.get(reverse("rectification:ledger_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == RectificationItem.objects.filter(campaign=campaign).count()
    numbers = {row[4]: row[0] for row in rows}
    by_measure = {row[4]: row for row in rows}
    assert by_measure[child.measure][HEADERS.index(PARENT)] == numbers[parent.measure]
    assert isinstance(by_measure[child.measure][HEADERS.index("完成时限")], datetime.datetime)


def test_export_writes_formula_like_text_as_text(client, users, org, make_problem, make_item):
    problem = make_problem(org.lishi, description='=HYPERLINK("http://x","整改")')
    make_item(problem, measure="-1+1 建立台账", criteria="@SUM(A1)")
    login(client, users.office)
    response = client.get(reverse("rectification:ledger_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {c.value: c for row in sheet.iter_rows(min_row=4) for c in row}
    for text in ['=HYPERLINK("http://x","整改")', "-1+1 建立台账", "@SUM(A1)"]:
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_large_ledger_export_is_a_task_with_the_same_cells(
    client,
    users,
    org,
    make_problem,
    make_item,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from biaoshuai.core.models import ExportJob

    settings.EXPORT_TASK_ROWS, settings.EXPORT_ROOT = 1, tmp_path
    problem = make_problem(org.lishi, description='=HYPERLINK("http://x","整改")')
    make_item(problem, measure="-1+1 建立台账", criteria="@SUM(A1)")
    make_item(problem, measure="第二条措施")
    login(client, users.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("rectification:ledger_export"))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.state == "done" and job.rows_done == 2
    download = client.get(reverse("core:export_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[4] for row in rows] == ["-1+1 建立台账", "第二条措施"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=4) for c in row}
    for text in ['=HYPERLINK("http://x","整改")', "-1+1 建立台账", "@SUM(A1)"]:
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert sheet["A1"].value.endswith("整改台账")
