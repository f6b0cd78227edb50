"""In a real browser: an item issued, replied to and accepted; a bulletin generated, approved
and downloaded as .docx."""

import datetime

import pytest
from django.utils import timezone
from docx import Document

from biaoshuai.supervision.models import Bulletin, SupervisionTask
from conftest import SCREENSHOTS, browser_login

from .test_bulletins import check_docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_item_replied_and_accepted(desktop_page, live_server, users, org, campaign, browser):
    page = desktop_page
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/supervision/items/new/")
    page.fill("input[name=subject]", "报送三看讨论成果")
    page.fill("textarea[name=requirement]", "召开专题讨论会并报送会议记录")
    deadline = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("input[name=deadline]", deadline.isoformat())
    page.select_option("select[name=units]", label="李市镇")
    page.click("main button[type=submit]")
    page.wait_for_url("**/supervision/items/*/")
    task = SupervisionTask.objects.get(item__subject="报送三看讨论成果")
    assert task.unit == org.lishi

    liaison = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = liaison.new_page()
    browser_login(phone, live_server, "liaison_lishi")
    phone.goto(f"{live_server.url}/supervision/")
    card = phone.locator(f"a[href='/supervision/tasks/{task.pk}/']").last
    assert card.locator(".warning-yellow").count() == 1  # due within three days
    card.click()
    phone.click("text=签收")
    phone.locator("#task-state", has_text="已签收").wait_for()
    phone.click("a:has-text('答复')")
    phone.fill("textarea[name=reply]", "已召开讨论会，会议记录附后")
    phone.set_input_files(
        "input[name=files]",
        files=[{"name": "会议记录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}],
    )
    phone.click("main button[type=submit]")
    phone.locator("#task-state", has_text="已答复").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "supervision_task_replied_phone.png", full_page=True)
    liaison.close()

    page.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
    assert "会议记录.pdf" in page.content()
    page.click("button:has-text('通过')")
    page.locator("#task-state", has_text="已通过").wait_for()
    task.refresh_from_db()
    assert task.state == SupervisionTask.State.ACCEPTED


def test_bulletin_generated_approved_downloaded(
    desktop_page, live_server, users, org, campaign, browser, tmp_path
):
    page = desktop_page
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/supervision/bulletins/")
    page.fill("input[name=month]", timezone.localdate().strftime("%Y-%m"))
    page.click("button:has-text('生成')")
    page.wait_for_url("**/supervision/bulletins/*/")
    page.click("button:has-text('提交审批')")
    page.locator("#bulletin-state", has_text="待审批").wait_for()
    bulletin = Bulletin.objects.get()

    leader_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    leader = leader_context.new_page()
    browser_login(leader, live_server, "leader")
    leader.goto(f"{live_server.url}/supervision/bulletins/{bulletin.pk}/")
    leader.click("button:has-text('批准')")
    leader.locator("#bulletin-state", has_text="已批准").wait_for()
    with leader.expect_download() as info:
        leader.click("#download-docx")
    path = tmp_path / "bulletin.docx"
    info.value.save_as(path)
    leader.screenshot(path=SCREENSHOTS / "supervision_bulletin_approved.png", full_page=True)
    leader_context.close()
    bulletin.refresh_from_db()
    assert info.value.suggested_filename.endswith(".docx")
    document = Document(path)
    check_docx(document, bulletin)
    assert bulletin.document_number.endswith("1号")
