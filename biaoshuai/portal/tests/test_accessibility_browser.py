"""Accessibility in a real browser: axe-core (vendored under static/vendor/axe-core) runs on
the public pages, the login page and the cadre's phone pages and finds no serious or critical
violation of WCAG 2.1 A/AA; the main actions are reached with the keyboard and show where the
focus is; the portal's senior-friendly mode (适老化) is switched on by a button and kept."""

import datetime

import pytest
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.study.tests.conftest import make_session
from conftest import SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEVERE = ("serious", "critical")


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date.today().replace(day=1) - datetime.timedelta(days=60),
        by=None,
        make_current=True,
    )


def severe_violations(page, live_server):
    """axe-core's serious and critical findings on the page as it stands (WCAG 2.1 A/AA)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=live_server.url + static("vendor/axe-core/axe.min.js"))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in SEVERE]


def check(page, live_server, path, name):
    page.goto(live_server.url + path)
    found = severe_violations(page, live_server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"a11y_{name}.png", full_page=True)
    return [f"{name} {path}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for v in found]


def test_public_pages_and_login(phone_page, live_server, campaign):
    page = phone_page
    problems = []
    for path, name in [
        (reverse("portal:home"), "portal_home"),
        (reverse("portal:column"), "portal_column"),
        (reverse("opinions_public:submit"), "opinion_form"),
        (reverse("opinions_public:track"), "opinion_track"),
        (reverse("accounts:login"), "login"),
    ]:
        problems += check(page, live_server, path, name)
    assert problems == [], "\n".join(problems)


def test_cadre_phone_pages(phone_page, live_server, campaign, org, users):
    session = make_session(campaign, users.office, org.department)
    page = phone_page
    browser_login(page, live_server, "cadre_lishi")
    problems = []
    for path, name in [
        (reverse("core:home"), "cadre_home"),
        (reverse("study:my_study"), "cadre_my_study"),
        (reverse("study:sign_in", args=[session.sign_in_token]), "cadre_sign_in"),
        (reverse("study:deliverable_create") + "?kind=reflection", "cadre_deliverable"),
        (reverse("appraisal:self_check_mine"), "cadre_self_check"),
        (reverse("notifications:inbox"), "cadre_inbox"),
    ]:
        problems += check(page, live_server, path, name)
    assert problems == [], "\n".join(problems)


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), name: el.getAttribute("name") || "",
          type: el.getAttribute("type") || "", text: (el.innerText || el.value || "").trim(),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
}"""


def tab_until(page, wanted, limit=60):
    """Presses Tab until `wanted(focused)` holds; every stop shows a focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        assert focused["outline"], f"no visible focus on {focused}"
        if wanted(focused):
            return seen
    raise AssertionError(f"not reached with Tab: {[f['tag'] + ' ' + f['text'] for f in seen]}")


@override_settings(OPINIONS_MIN_FILL_SECONDS=0)
def test_keyboard_reaches_the_main_actions(phone_page, live_server, campaign):
    page = phone_page
    # The public form: the first stop is "skip to the content", then the form can be filled
    # in and sent without a mouse.
    page.goto(live_server.url + reverse("opinions_public:submit"))
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "跳到正文" and first["outline"]
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    tab_until(page, lambda f: f["name"] == "content")
    page.keyboard.type("社区服务大厅周末无人值守。")
    tab_until(page, lambda f: f["tag"] == "button" and f["type"] == "submit")

    # The login page: user name (focused on arrival), password, then the button.
    page.goto(live_server.url + reverse("accounts:login"))
    assert page.evaluate(FOCUSED)["name"] == "username"
    tab_until(page, lambda f: f["name"] == "password", limit=3)
    tab_until(page, lambda f: f["tag"] == "button" and f["type"] == "submit", limit=5)


def test_senior_mode_is_switched_and_remembered(phone_page, live_server, campaign):
    page = phone_page
    home = live_server.url + reverse("portal:home")
    page.goto(home)
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = page.evaluate(size)
    toggle = page.locator("#senior-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.locator("html")).to_have_class("senior")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(size) >= normal * 1.2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "a11y_portal_senior.png", full_page=True)
    assert severe_violations(page, live_server) == []

    # Kept on the next page and after a reload, in this browser.
    page.goto(live_server.url + reverse("portal:column"))
    expect(page.locator("html")).to_have_class("senior")
    expect(page.locator("#senior-toggle")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.reload()
    expect(page.locator("html")).to_have_class("senior")
    page.locator("#senior-toggle").click()
    page.goto(home)
    expect(page.locator("html")).not_to_have_class("senior")
