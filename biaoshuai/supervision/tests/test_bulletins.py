"""Bulletins: the state machine, numbering, verdicts, figures, and the .docx layout."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.supervision import services
from biaoshuai.supervision.documents import bulletin_docx
from biaoshuai.supervision.models import Bulletin
from biaoshuai.supervision.selectors import bulletin_verdicts
from biaoshuai.supervision.selectors.figures import on_time_rate_by_unit, overdue_by_unit

from .conftest import issue

State = Bulletin.State
pytestmark = pytest.mark.django_db


def _month(campaign):
    start = timezone.localdate().replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def generate(users, campaign):
    start, end = _month(campaign)
    return services.bulletin_generate(
        by=users.office, campaign=campaign, period_start=start, period_end=end
    )


def test_generate_freezes_figures_and_writes_the_sections(users, org, campaign):
    issue(users, [org.zengji], campaign=campaign)
    bulletin = generate(users, campaign)
    assert bulletin.state == State.DRAFT
    assert bulletin.title.startswith("关于") and bulletin.title.endswith("的通报")
    names = [r["name"] for r in bulletin.figures["rows"]]
    assert sorted(names) == sorted(["李市镇", "曾集镇"])
    assert "supervision.overdue" in bulletin.figures["metrics"]
    assert "reports.missing" in bulletin.figures["metrics"]
    assert [h for h, _p in bulletin.sections()] == [
        "",
        "一、总体情况",
        "二、表扬",
        "三、批评",
        "四、下一步要求",
    ]
    assert all(paragraphs for _h, paragraphs in bulletin.sections())


def test_bulletin_state_machine_and_numbers(users, org, campaign):
    first, second = generate(users, campaign), generate(users, campaign)
    with pytest.raises(ValidationError):
        services.bulletin_approve(by=users.leader, bulletin=first)
    with pytest.raises(ValidationError):
        services.bulletin_publish(by=users.office, bulletin=first, disclosure=Disclosure.PUBLIC)
    services.bulletin_submit(by=users.office, bulletin=first)
    with pytest.raises(ValidationError):
        services.bulletin_update(by=users.office, bulletin=first, opening="改")
    with pytest.raises(ValidationError):
        services.bulletin_submit(by=users.office, bulletin=first)
    with pytest.raises(ValidationError):
        services.bulletin_return(by=users.leader, bulletin=first, reason="")
    services.bulletin_return(by=users.leader, bulletin=first, reason="请补充数据")
    services.bulletin_update(by=users.office, bulletin=first, opening="新的开头")
    services.bulletin_submit(by=users.office, bulletin=first)
    services.bulletin_approve(by=users.leader, bulletin=first)
    with pytest.raises(ValidationError):
        services.bulletin_approve(by=users.leader, bulletin=first)
    with pytest.raises(ValidationError):
        services.bulletin_return(by=users.leader, bulletin=first, reason="x")
    services.bulletin_submit(by=users.office, bulletin=second)
    services.bulletin_approve(by=users.leader, bulletin=second)
    first.refresh_from_db()
    second.refresh_from_db()
    year = timezone.localdate().year
    assert (first.number_year, first.number, second.number) == (year, 1, 2)
    assert first.document_number == f"组活办〔{year}〕1号"
    assert not Bulletin.objects.public().exists()
    services.bulletin_publish(by=users.office, bulletin=first, disclosure=Disclosure.PUBLIC)
    with pytest.raises(ValidationError):
        services.bulletin_publish(by=users.office, bulletin=first, disclosure=Disclosure.PUBLIC)
    with pytest.raises(ValidationError):
        services.bulletin_update(by=users.office, bulletin=first, opening="x")
    assert list(Bulletin.objects.public()) == [first]
    services.bulletin_publish(by=users.office, bulletin=second, disclosure=Disclosure.INTERNAL)
    assert list(Bulletin.objects.public()) == [first]
    assert set(Bulletin.objects.visible_to(users.liaison_lishi)) == {first, second}


def _row(uid, rank):
    return {"id": uid, "name": f"u{uid}", "rank": rank, "total": 100 - rank, "indicators": []}


def test_verdicts_praise_top_three_with_ties_and_criticise():
    rows = [_row(1, 1), _row(2, 2), _row(3, 3), _row(4, 3), _row(5, 5), _row(6, 6), _row(7, 6)]
    metrics = {
        "supervision.overdue": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 2, "6": 0, "7": 0},
        "rectification.overdue": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0, "6": 0, "7": 0},
        "reports.missing": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 0, "7": 1},
        "publicity.pieces": {"1": 3, "2": 1, "3": 0, "4": None, "5": 1, "6": 1, "7": 1},
    }
    praised, criticised = bulletin_verdicts(rows, metrics)
    assert praised == [1, 4]  # 2 and 3 are criticised, so not praised in the same bulletin
    reasons = {c["id"]: c["reasons"] for c in criticised}
    assert reasons == {
        2: ["rectification.overdue"],
        3: ["publicity.pieces"],
        5: ["supervision.overdue"],
        6: ["bottom"],
        7: ["bottom", "reports.missing"],
    }


def test_verdicts_praise_nobody_when_every_unit_ties():
    rows = [_row(i, 1) for i in range(1, 6)]
    praised, criticised = bulletin_verdicts(rows, {"publicity.pieces": {"1": 0}})
    assert praised == [] and criticised == [{"id": 1, "reasons": ["publicity.pieces"]}]


def test_text_counts_a_tie_instead_of_listing_every_unit(campaign):
    from biaoshuai.supervision.services.bulletins import bulletin_texts

    rows = [{"id": i, "name": f"单位{i}", "rank": 1, "total": 0} for i in range(1, 21)]
    figures = {
        "rows": rows,
        "ranking": True,
        "metrics": {"publicity.pieces": {str(i): 0 for i in range(1, 21)}},
        "praised": [],
        "criticised": [{"id": i, "reasons": ["publicity.pieces"]} for i in range(1, 21)],
    }
    texts = bulletin_texts(campaign=campaign, label="2026年10月", figures=figures)
    assert "全县20个参加单位均在此列" in texts["criticism"] and "单位7" not in texts["criticism"]
    assert "得分相同" in texts["praise"]


def test_verdicts_without_ranking():
    praised, criticised = bulletin_verdicts(
        [_row(1, 0) | {"rank": None}], {"supervision.overdue": {"1": 1}}
    )
    assert praised == [] and criticised == [{"id": 1, "reasons": ["supervision.overdue"]}]


def test_on_time_rate_and_overdue_by_unit(users, org, campaign):
    today = timezone.localdate()
    on_time = issue(users, [org.lishi, org.zengji], campaign=campaign, deadline=today)
    for task in on_time.tasks.all():
        services.task_sign(task=task, by=users.liaison_lishi)
        services.task_reply(task=task, by=users.liaison_lishi, reply="已办")
    services.task_accept(task=on_time.tasks.get(unit=org.lishi), by=users.office)
    # Issued in the past (as the demo does) so that it is overdue now.
    late = issue(
        users, [org.zengji], campaign=campaign, deadline=today - datetime.timedelta(days=2)
    )
    ids = [org.lishi.pk, org.zengji.pk, org.department.pk]
    rate = on_time_rate_by_unit(campaign=campaign, unit_ids=ids)
    assert rate[org.lishi.pk] == 100.0
    assert rate[org.zengji.pk] == 0.0  # one replied but not accepted (not due yet), one overdue
    overdue = overdue_by_unit(campaign=campaign, unit_ids=ids)
    assert overdue == {org.lishi.pk: 0, org.zengji.pk: 1, org.department.pk: 1}
    assert late.tasks.get().warning() == "red"


def test_on_time_rate_is_none_when_nothing_was_due(users, org, campaign):
    assert on_time_rate_by_unit(campaign=campaign, unit_ids=[org.lishi.pk]) == {org.lishi.pk: None}


# The .docx


def _approved(users, campaign):
    bulletin = generate(users, campaign)
    services.bulletin_submit(by=users.office, bulletin=bulletin)
    services.bulletin_approve(by=users.leader, bulletin=bulletin)
    bulletin.refresh_from_db()
    return bulletin


def open_docx(data):
    return Document(io.BytesIO(data))


def east_asia(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def check_docx(document, bulletin):
    """The GB/T 9704-2012 layout, as a test and the browser test read it."""
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    for name, mm in [
        ("top_margin", 37),
        ("bottom_margin", 35),
        ("left_margin", 28),
        ("right_margin", 26),
    ]:
        assert abs(getattr(section, name) - Mm(mm)) < Mm(0.2), name
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) and grid.get(qn("w:charSpace"))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    # The issuing office's mark: red 小标宋.
    mark = next(p for p in paragraphs if p.text == bulletin.issuer)
    assert mark.runs[0].font.color.rgb == (0xFF, 0x00, 0x00)
    assert east_asia(mark.runs[0]) == "方正小标宋简体"
    # The document number, then the red separator line.
    index = texts.index(bulletin.document_number)
    rule = paragraphs[index + 1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    # The title: 2号 方正小标宋简体.
    title = next(p for p in paragraphs if p.text == bulletin.title)
    assert title.runs[0].font.size == Pt(22)
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    # Body: 3号 仿宋_GB2312; first-level headings 黑体; second-level 楷体_GB2312.
    body = next(p for p in paragraphs if p.text == bulletin.sections()[0][1][0])
    assert body.runs[0].font.size == Pt(16) and east_asia(body.runs[0]) == "仿宋_GB2312"
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert east_asia(heading.runs[0]) == "黑体"
    sub = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert east_asia(sub.runs[0]) == "楷体_GB2312"
    for p in paragraphs:
        for run in p.runs:
            if run.text.strip():
                assert east_asia(run), f"no East Asian font on {run.text!r}"
    # Page numbers: odd on the right, even on the left, each with a PAGE field, 4号宋体.
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in [(section.footer, "right"), (section.even_page_footer, "left")]:
        xml = footer._element.xml
        assert "PAGE" in xml and "fldChar" in xml
        p = footer.paragraphs[0]
        assert p.alignment is not None and p.alignment.name.lower() == align
        assert p.runs[0].text == "— " and p.runs[0].font.size == Pt(14)
        assert east_asia(p.runs[0]) == "宋体"
    # The closing block: 抄送 and 印发 between rules.
    copy = next(p for p in paragraphs if p.text.startswith("抄送："))
    assert copy._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None
    printed = next(p for p in paragraphs if p.text.endswith("印发"))
    assert printed._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None


def test_docx_layout(users, org, campaign):
    bulletin = _approved(users, campaign)
    check_docx(open_docx(bulletin_docx(bulletin)), bulletin)


def test_draft_docx_has_a_blank_number(users, org, campaign):
    bulletin = generate(users, campaign)
    document = open_docx(bulletin_docx(bulletin))
    assert "组活办〔　　〕　号" in [p.text for p in document.paragraphs]
