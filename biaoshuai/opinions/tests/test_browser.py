"""A member of the public, on a phone: submit, keep the code, later read the reply and rate it."""

from biaoshuai.opinions import services
from biaoshuai.opinions.antiflood import DIGITS
from biaoshuai.opinions.models import Opinion
from biaoshuai.opinions.selectors import opinion_by_code
from conftest import SCREENSHOTS


def test_public_submits_tracks_and_rates_on_a_phone(
    phone_page, live_server, campaign, users, org, settings
):
    settings.OPINIONS_MIN_FILL_SECONDS = 0
    page = phone_page
    page.goto(f"{live_server.url}/portal/")
    page.goto(f"{live_server.url}/portal/opinions/")
    page.fill("textarea[name=content]", "镇便民服务中心窗口中午无人值班，群众办事只能等到下午。")
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = [DIGITS.index(ch) for ch in question if ch in DIGITS]
    page.fill("input[name=answer]", str(a + b))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "opinions_public_form_phone.png", full_page=True)
    page.click("button[type=submit]")
    page.screenshot(path=SCREENSHOTS / "opinions_public_code_phone.png", full_page=True)
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code) == 14

    opinion = opinion_by_code(code=code)
    assert opinion.content.startswith("镇便民服务中心")
    services.opinion_assign(
        opinion=opinion, by=users.office, unit=org.lishi, deadline=campaign.ends_on
    )
    services.opinion_sign(opinion=opinion, by=users.liaison_lishi)
    services.opinion_reply(
        opinion=opinion, by=users.liaison_lishi, reply="已安排工作人员中午轮流值班，公示值班电话。"
    )
    services.opinion_approve(opinion=opinion, by=users.office)

    page.goto(f"{live_server.url}/portal/opinions/track/")
    page.fill("input[name=code]", code.lower())
    page.click("button[type=submit]")
    assert "中午轮流值班" in page.get_by_test_id("public-reply").inner_text()
    page.check("input[name=rating][value=satisfied]")
    page.click("form[action$='/rate/'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    opinion.refresh_from_db()
    assert opinion.rating == Opinion.Rating.SATISFIED and opinion.state == Opinion.State.CLOSED
    # The page still fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_office_records_and_assigns_liaison_signs_and_replies_on_a_phone(
    phone_page, live_server, campaign, users, org, django_capture_on_commit_callbacks
):
    from conftest import browser_login, pick

    page = phone_page
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/opinions/new/")
    page.select_option("select[name=channel]", "hotline")
    page.fill("textarea[name=content]", "来电反映：干部档案查询手续繁琐，要跑好几个地方盖章。")
    page.click("form[enctype] button.btn-party")
    code = page.get_by_test_id("new-code").inner_text().strip()
    assert opinion_by_code(code=code).channel == "hotline"
    pick(page, "unit", "李市镇")
    assert page.locator("select[name=unit]").input_value() == str(org.lishi.pk)
    page.fill("input[name=deadline]", campaign.ends_on.isoformat())
    page.click("form[action$='/assign/'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.screenshot(path=SCREENSHOTS / "opinions_detail_office_phone.png", full_page=True)
    page.context.clear_cookies()

    browser_login(page, live_server, "liaison_lishi")
    page.goto(f"{live_server.url}/opinions/?box=to_sign")
    page.screenshot(path=SCREENSHOTS / "opinions_list_liaison_phone.png", full_page=True)
    page.locator("a.card", has_text="干部档案查询").first.click()
    page.click("form[action$='/sign/'] button[type=submit]")
    page.fill("textarea[name=reply]", "已精简查询手续，本人凭身份证即可当场查询。")
    page.click("form[action$='/reply/'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    opinion = opinion_by_code(code=code)
    assert opinion.state == Opinion.State.REPLIED and opinion.replied_by == users.liaison_lishi
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wrong_answer_on_a_phone_gives_a_fresh_question_and_keeps_the_text(
    phone_page, live_server, campaign, settings
):
    settings.OPINIONS_MIN_FILL_SECONDS = 0
    page = phone_page
    page.goto(f"{live_server.url}/portal/opinions/")
    text = "社区党群服务中心周末不开门，上班族没时间去办事。"
    page.fill("textarea[name=content]", text)
    page.fill("input[name=phone]", "13700003333")
    first = page.locator("label[for=id_answer]").inner_text()
    a, b = [DIGITS.index(ch) for ch in first if ch in DIGITS]
    page.fill("input[name=answer]", str(a + b + 1))
    page.click("button[type=submit]")

    # Back with the text, a new question, and what to fix said at the question.
    page.wait_for_selector("#id_answer.is-invalid")
    assert page.input_value("textarea[name=content]") == text
    assert page.input_value("input[name=phone]") == "13700003333"
    question = page.locator("label[for=id_answer]").inner_text()
    digits = [DIGITS.index(ch) for ch in question if ch in DIGITS]
    assert len(digits) == 2
    feedback = page.locator("#id_answer ~ .invalid-feedback").inner_text()
    assert "请回答新的问题" in feedback or "不正确" in feedback
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "opinions_public_wrong_answer_phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("input[name=answer]", str(sum(digits)))
    page.click("button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert opinion_by_code(code=code).content == text
