"""On a phone (390×844): a returned 三有 reaches the cadre's bell and the notice opens the
deliverable; a bulletin submitted by the office reaches the leader's bell and work queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.study import services as study
from biaoshuai.study.completion import study_phase
from biaoshuai.supervision.models import Bulletin
from conftest import SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True}


@pytest.fixture
def campaign(org):
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 4
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date(index // 12, index % 12 + 1, 1),
        by=None,
        make_current=True,
    )


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"notifications_{name}.png")


def _bell(page):
    """The unread count the bell shows (0 when it shows none), once HTMX has filled it."""
    page.wait_for_load_state("networkidle")
    badge = page.locator("#bell-count [data-unread]")
    return int(badge.get_attribute("data-unread")) if badge.count() else 0


def test_a_returned_deliverable_reaches_the_cadre(
    phone_page, browser, live_server, campaign, org, users
):
    essay = study.deliverable_create(
        person=org.people["lishi_a"],
        phase=study_phase(campaign),
        kind="reflection",
        title="学习十七大精神的心得体会",
        text="通过学习，我深刻认识到讲党性的重要性。",
        by=users.cadre_lishi,
    )
    study.deliverable_submit(deliverable=essay, by=users.cadre_lishi)
    page = phone_page
    browser_login(page, live_server, "cadre_lishi")
    page.goto(live_server.url + "/")
    before = _bell(page)

    liaison_context = browser.new_context(**PHONE)
    liaison = liaison_context.new_page()
    try:
        browser_login(liaison, live_server, "liaison_lishi")
        # The liaison's first screen: the 三有 waiting for review, one tap from the list.
        liaison.goto(live_server.url + "/")
        line = liaison.locator("#work-queue [data-work='study.to_review']")
        assert line.get_attribute("data-count") == "1"
        assert line.bounding_box()["y"] < 844
        _shot(liaison, "phone_liaison_queue")
        line.click()
        liaison.locator(f"a[href='{reverse('study:deliverable_detail', args=[essay.pk])}']").click()
        liaison.fill("textarea[name=comment]", "请结合本镇实际补充具体事例。")
        liaison.locator("#return-button").click()
        liaison.locator("#review-comment").wait_for()
    finally:
        liaison_context.close()

    page.reload()
    assert _bell(page) == before + 1
    returned = page.locator("#work-queue [data-work='study.returned']")
    assert returned.get_attribute("data-count") == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "phone_cadre_bell")
    page.locator("#bell").click()
    page.wait_for_url("**/notifications/")
    notice = page.locator("#inbox li", has_text="学习十七大精神的心得体会").first
    notice.locator("button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('study:deliverable_detail', args=[essay.pk])}")
    assert "请结合本镇实际补充具体事例。" in page.locator("#review-comment").inner_text()
    assert _bell(page) == before
    _shot(page, "phone_cadre_on_the_deliverable")


def test_a_submitted_bulletin_reaches_the_leader(
    phone_page, browser, live_server, campaign, org, users
):
    leader_context = browser.new_context(**PHONE)
    leader = leader_context.new_page()
    try:
        browser_login(leader, live_server, "leader")
        leader.goto(live_server.url + "/")
        before = _bell(leader)

        page = phone_page
        browser_login(page, live_server, "office")
        page.goto(f"{live_server.url}/supervision/bulletins/")
        page.fill("input[name=month]", timezone.localdate().strftime("%Y-%m"))
        page.click("button:has-text('生成')")
        page.wait_for_url("**/supervision/bulletins/*/")
        page.click("button:has-text('提交审批')")
        page.locator("#bulletin-state", has_text="待审批").wait_for()
        bulletin = Bulletin.objects.get()

        leader.reload()
        assert _bell(leader) == before + 1
        line = leader.locator("#work-queue [data-work='supervision.bulletins_to_approve']")
        assert line.get_attribute("data-count") == "1"
        assert line.bounding_box()["y"] < 844
        _shot(leader, "phone_leader_bell")
        leader.locator("#bell").click()
        leader.locator("#inbox li", has_text="通报待您审签").first.locator(
            "button[type=submit]"
        ).first.click()
        leader.wait_for_url(f"**{reverse('supervision:bulletin_detail', args=[bulletin.pk])}")
        leader.locator("button:has-text('批准')").wait_for()
    finally:
        leader_context.close()


def test_the_menu_is_a_drawer_grouped_by_stage_on_a_phone(phone_page, live_server, campaign, users):
    page = phone_page
    browser_login(page, live_server, "office")
    page.goto(live_server.url + reverse("study:my_study"))
    assert not page.locator("#sidebar").is_visible()
    page.locator("button.navbar-toggler").click()
    page.locator("#sidebar.show").wait_for()
    study_group = page.locator("details[data-nav-group='study']")
    assert study_group.get_attribute("open") is not None  # the current page's group
    system = page.locator("details[data-nav-group='system']")
    assert system.get_attribute("open") is None
    system.locator("summary").click()
    assert system.locator("a", has_text="单位").is_visible()
    _shot(page, "phone_menu")
    # Opened once, the group stays open on the next page.
    page.goto(live_server.url + reverse("opinions:list"))
    page.locator("button.navbar-toggler").click()
    page.locator("#sidebar.show").wait_for()
    assert page.locator("details[data-nav-group='system']").get_attribute("open") is not None
