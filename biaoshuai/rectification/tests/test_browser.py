import re

from playwright.sync_api import expect

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.rectification.models import RectificationItem
from conftest import browser_login


def test_progress_return_resubmit_close_and_public_board(
    phone_page, desktop_page, live_server, org, users, make_problem, make_item, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    problem = make_problem(
        org.lishi, description="会议多、文件多，以会议落实会议", disclosure=Disclosure.PUBLIC
    )
    item = make_item(problem, measure="精简会议文件，能合并的会议一律合并")
    url = f"{live_server.url}/rectification/items/{item.pk}/"
    evidence = tmp_path / "会议记录.pdf"
    evidence.write_bytes(b"%PDF-1.4 minutes")

    page = phone_page
    browser_login(page, live_server, "liaison_lishi")
    page.goto(url)
    page.fill("textarea[name=text]", "已合并三个例会，印发精简文件通知")
    page.fill("input[name=percent]", "100")
    page.set_input_files("input[name=files]", str(evidence))
    page.click("button[name=report]")
    expect(page.locator(".list-group-item", has_text="会议记录.pdf").first).to_be_visible()
    page.click("button[name=submit]")
    expect(page.locator("#item-state")).to_have_text(re.compile("待验收|Awaiting"))

    office = desktop_page
    browser_login(office, live_server, "office")
    office.goto(url)
    office.fill("textarea[name=reason]", "缺少会议精简前后的对比材料")
    office.click("button[name=return]")
    expect(office.locator("#item-state")).to_have_text(re.compile("已退回|Returned"))

    page.goto(url)
    expect(page.get_by_text("缺少会议精简前后的对比材料").first).to_be_visible()
    page.click("button[name=submit]")
    expect(page.locator("#item-state")).to_have_text(re.compile("待验收|Awaiting"))

    office.goto(url)
    office.click("button[name=close]")
    expect(office.locator("#item-state")).to_have_text(re.compile("已销号|Closed"))
    assert RectificationItem.objects.get(pk=item.pk).state == "closed"

    page.goto(f"{live_server.url}/portal/rectification/")
    card = page.locator("article", has_text="会议多、文件多")
    expect(card).to_be_visible()
    expect(card).to_contain_text(re.compile("已销号|Closed"))
    expect(card).not_to_contain_text("liaison_lishi")


def test_responsible_person_picker_searches_as_one_types(
    desktop_page, live_server, org, users, make_problem
):
    """The 责任人 picker holds no list of names: typing part of one asks the server, the
    matches show their unit, and the choice survives a form sent back with an error."""
    problem = make_problem(org.department, description="联系服务群众不够深入")
    page = desktop_page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/rectification/problems/{problem.pk}/items/new/")
    assert page.locator("select[name=person] option").count() <= 1
    page.locator("#id_person-ts-control").fill("秀")
    option = page.locator(".ts-dropdown .option", has_text="李秀英")
    expect(option).to_be_visible()
    expect(option).to_contain_text("李市镇党建办")
    expect(page.locator(".ts-dropdown .option", has_text="王建国")).to_have_count(0)
    option.click()
    assert page.locator("select[name=person]").input_value() == str(org.people["lishi_b"].pk)
    page.locator("textarea[name=measure]").fill("")  # an error: the measure is required
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_be_visible()
    assert page.locator("select[name=person]").input_value() == str(org.people["lishi_b"].pk)
    expect(page.locator(".ts-control .item")).to_contain_text(["县委组织部部机关", "李秀英"])
    assert errors == []
