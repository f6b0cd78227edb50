"""The pages in a real browser: the office on a phone, the leader's dashboard on a desktop."""

import re

import pytest
from django.urls import reverse

from biaoshuai.assessment.models import ManualScore
from conftest import SCREENSHOTS, browser_login

from .test_views import computed, this_month  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"assessment_{name}.png", full_page=True)


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_office_on_a_phone(phone_page, live_server, org, towns, users, computed):  # noqa: F811
    page = phone_page
    browser_login(page, live_server, "office")
    page.goto(live_server.url + reverse("assessment:ranking"))
    assert "李市镇" in page.locator("#ranking-table").inner_text()
    assert _fits(page)
    _shot(page, "phone_ranking")

    page.locator("#ranking-table a", has_text="曾集镇").click()
    page.wait_for_load_state()
    assert "67.22" in page.inner_text("main")
    assert _fits(page)
    _shot(page, "phone_unit")

    page.goto(live_server.url + reverse("assessment:manual_scores"))
    page.fill(f"input[name='u{towns['xinhe'].pk}-value']", "88")
    page.fill(f"input[name='u{towns['xinhe'].pk}-note']", "领导小组健全")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state()
    assert ManualScore.objects.get(unit=towns["xinhe"]).value == 88
    assert _fits(page)
    _shot(page, "phone_manual")

    page.goto(live_server.url + reverse("assessment:dashboard"))
    page.locator("#chart-ranking canvas").wait_for()
    assert _fits(page)
    _shot(page, "phone_dashboard")


def test_leader_dashboard_on_a_desktop(desktop_page, live_server, users, computed):  # noqa: F811
    page = desktop_page
    browser_login(page, live_server, "leader")
    page.goto(live_server.url + reverse("assessment:dashboard"))
    page.locator("#chart-ranking canvas").wait_for()
    page.locator("#chart-trend canvas").wait_for()
    main = page.inner_text("main")
    assert "截至11月18日" in main  # the warnings say their period
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", main)  # labels, never metric codes
    assert page.locator("[data-metric]").count() > 0
    _shot(page, "desktop_dashboard")
    # A bar opens the unit's score.
    box = page.locator("#chart-ranking").bounding_box()
    page.mouse.click(box["x"] + 200, box["y"] + 60)
    page.wait_for_url("**/assessment/units/**")
    assert "得分" in page.inner_text("main")
    page.goto(live_server.url + reverse("core:home"))
    assert "前 5 名" in page.inner_text("#assessment-panel")
    home = page.inner_text("main")
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", home)
    _shot(page, "desktop_home")
