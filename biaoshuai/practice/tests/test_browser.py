"""In a real browser at a phone's size: a liaison records a 解放思想大讨论 with its three
"三看" answers and puts it forward as an exemplar; the office confirms it as public; it
appears on the portal."""

import pytest

from biaoshuai.practice.models import Discussion
from conftest import SCREENSHOTS, browser_login, pick

from .conftest import ANSWERS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("biaoshuai.practice.tests.urls"),
]

SUMMARY = "李市镇以“三看”查摆束缚、找准差距，形成推行村党组织书记公推直选等三条共识。"


def test_liaison_records_discussion_and_office_publishes_it(
    phone_page, live_server, campaign, org, users
):
    page = phone_page
    browser_login(page, live_server, "liaison_lishi")
    page.goto(f"{live_server.url}/practice/discussions/new/")
    pick(page, "unit", "李市镇")
    page.fill("input[name=title]", "李市镇解放思想大讨论")
    page.fill("input[name=held_on]", "2026-03-12")
    page.fill("input[name=place]", "镇政府三楼会议室")
    page.fill("input[name=host]", "镇党委书记")
    pick(page, "participants", "王建国")
    pick(page, "participants", "李秀英")
    page.fill("input[name=attendance]", "23")
    for key, text in ANSWERS.items():
        page.fill(f"textarea[name=answer_{key}]", text)
    page.fill(
        "textarea[name=conclusions]", "一、破除求稳怕乱思想；二、完善干部考核；三、推行公推直选。"
    )
    page.screenshot(path=SCREENSHOTS / "practice_discussion_form_phone.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    record = Discussion.objects.get()
    assert record.attendance == 23 and record.participants.count() == 2
    assert dict(record.answers.values_list("question_key", "text")) == ANSWERS
    for text in ANSWERS.values():
        assert page.get_by_text(text).is_visible()

    page.fill("#exemplar-propose textarea[name=summary]", SUMMARY)
    page.select_option("#exemplar-propose select[name=disclosure]", "public")
    page.click("#exemplar-propose button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#exemplar .card-header .badge").inner_text().strip() == "待办公室确认"
    page.screenshot(path=SCREENSHOTS / "practice_discussion_proposed_phone.png", full_page=True)
    record.refresh_from_db()
    assert record.exemplar_status == "proposed"

    page.goto(f"{live_server.url}/portal/practice/")
    assert page.get_by_text(SUMMARY).count() == 0

    page.context.clear_cookies()
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/practice/discussions/{record.pk}/")
    assert page.locator("#exemplar-confirm select[name=disclosure]").input_value() == "public"
    page.screenshot(path=SCREENSHOTS / "practice_discussion_confirm_phone.png", full_page=True)
    page.click("#exemplar-confirm button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#exemplar .card-header .badge").inner_text().strip() == "已确认为典型"
    record.refresh_from_db()
    assert record.exemplar_status == "confirmed" and record.disclosure == "public"

    page.goto(f"{live_server.url}/practice/discussions/")
    assert (
        page.locator("#discussion-table a.card")
        .filter(has_text="李市镇解放思想大讨论")
        .is_visible()
    )
    page.screenshot(path=SCREENSHOTS / "practice_discussion_list_phone.png", full_page=True)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/practice/")
    card = page.locator(f"#exemplar-discussion-{record.pk}")
    assert card.is_visible()
    assert card.get_by_text(SUMMARY).is_visible()
    assert card.get_by_text("李市镇解放思想大讨论").is_visible()
