"""The leader on the demo: the dashboard and the home page answer "how is the campaign
going, which units lag", every figure says its period, no metric code shows, and the same
figure has one value on both pages."""

import re

import pytest
from django.urls import reverse

from biaoshuai.demo.loader import DEMO_PASSWORD, load_demo
from conftest import SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"\b[a-z]+\.[a-z_]+\b")


def _figures(page):
    return page.eval_on_selector_all(
        "[data-metric]",
        "els => els.map(e => [e.dataset.metric, e.dataset.campaign, e.dataset.unit,"
        " e.dataset.period, e.dataset.value])",
    )


def test_leader_dashboard_and_home_on_the_demo(desktop_page, live_server):
    load_demo()
    page = desktop_page
    browser_login(page, live_server, "leader", DEMO_PASSWORD)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + reverse("assessment:dashboard"))
    page.screenshot(path=SCREENSHOTS / "assessment_demo_dashboard.png", full_page=True)
    page.locator("#chart-ranking canvas").wait_for()
    main = page.inner_text("main")
    assert "截至11月18日" in main and not CODE.search(main)
    assert "最弱" in page.inner_text("#bottom-units")
    page.screenshot(path=SCREENSHOTS / "assessment_demo_dashboard.png", full_page=True)
    dashboard = _figures(page)

    page.goto(live_server.url + reverse("core:home"))
    home_text = page.inner_text("main")
    assert "截至11月18日" in home_text and not CODE.search(home_text)
    page.screenshot(path=SCREENSHOTS / "assessment_demo_home.png", full_page=True)
    home = _figures(page)

    values = {}
    for metric, campaign, unit, period, value in dashboard + home:
        values.setdefault((metric, campaign, unit, period), set()).add(value)
    assert {k: v for k, v in values.items() if len(v) > 1} == {}
    shared = {tuple(f[:4]) for f in dashboard} & {tuple(f[:4]) for f in home}
    assert any(k[0] == "rectification.overdue" for k in shared)
