"""The public portal on a phone: the front page, the column, a news article, the
rectification board and sending an opinion, all without logging in."""

from biaoshuai.opinions.antiflood import DIGITS
from biaoshuai.publicity.tests.conftest import article, exemplar, png_file
from conftest import SCREENSHOTS


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"portal_{name}_phone.png", full_page=True)


def _fits(page):
    """Nothing is wider than the phone's screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def test_portal_on_a_phone(phone_page, live_server, campaign, users, org, settings):
    settings.OPINIONS_MIN_FILL_SECONDS = 0
    news = article(
        org.lishi,
        users.liaison_lishi,
        title="李市镇开展解放思想大讨论",
        body="李市镇围绕“三看”开展解放思想大讨论。\n[图1]\n大家梳理出问题十二条。",
        summary="查找束缚发展的思想障碍。",
        state="published",
        office=users.office,
        cover=png_file(),
        images=[(png_file(), "讨论现场")],
    )
    exemplar(
        org.zengji,
        users.liaison_zengji,
        title="驻点帮扶同吃同住同劳动",
        state="published",
        office=users.office,
    )
    page = phone_page

    page.goto(f"{live_server.url}/portal/")
    assert campaign.short_name in page.title()
    assert page.get_by_text("李市镇开展解放思想大讨论").first.is_visible()
    _fits(page)
    _shot(page, "home")

    page.get_by_role("link", name="了解活动").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/column/")
    assert page.get_by_text("政治立场的坚定性").is_visible()
    _fits(page)
    _shot(page, "column")

    page.goto(f"{live_server.url}/portal/")
    page.get_by_text("李市镇开展解放思想大讨论").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/portal/publicity/news/{news.pk}/")
    assert page.title().startswith("李市镇开展解放思想大讨论")
    images = page.locator("article img")
    assert images.count() == 2
    for index in range(2):
        assert images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    _fits(page)
    _shot(page, "news")

    page.locator("nav.portal-nav a[href='/portal/rectification/']").click()
    page.wait_for_load_state()
    assert "/portal/rectification/" in page.url
    _fits(page)
    _shot(page, "rectification")

    page.locator("nav.portal-nav a[href='/portal/opinions/']").click()
    page.wait_for_load_state()
    page.fill("textarea[name=content]", "希望专栏多报道基层组工干部的先进事迹。")
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = [DIGITS.index(ch) for ch in question if ch in DIGITS]
    page.fill("input[name=answer]", str(a + b))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert len(page.get_by_test_id("tracking-code").inner_text().strip()) == 14
    _fits(page)
    _shot(page, "opinion_sent")
