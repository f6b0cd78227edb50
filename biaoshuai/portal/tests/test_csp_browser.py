"""The key pages in a real browser under the Content-Security-Policy: no console error, no
policy violation, and what used to be inline script still works (charts, the period
picker, submit-on-change, HTMX search, the public form)."""

import datetime
import re

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.opinions.antiflood import SALT
from biaoshuai.opinions.models import Opinion
from biaoshuai.surveys import services as survey_services
from biaoshuai.surveys.tests.factories import answers_for, survey_with_questions
from conftest import SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(desktop_page):
    """The page, with every console error, page error and CSP violation collected."""
    page = desktop_page
    errors = []
    page.context.add_init_script(WATCH)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def problems():
        found = list(errors)
        try:
            found += page.evaluate("window.__violations || []")
        except Exception:  # the page is navigating
            pass
        return found

    page.problems = problems
    return page


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date.today().replace(day=1) - datetime.timedelta(days=60),
        by=None,
        make_current=True,
    )


@pytest.fixture
def survey(campaign, org, users):
    survey = survey_with_questions(campaign=campaign, unit=org.department, audience="cadres")
    for n, key in enumerate(["lishi_a", "lishi_b", "zengji_a"]):
        survey_services.response_submit_cadre(
            survey_round=survey.round,
            person=org.people[key],
            answers=answers_for(survey, single=n % 2, rating=n % 3),
        )
    return survey


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"csp_{name}.png", full_page=True)


def test_the_watch_sees_a_violation(watched, live_server, db):
    """The listener works: an inline script added to a page is refused and reported."""
    watched.goto(live_server.url + reverse("accounts:login"))
    watched.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    watched.wait_for_timeout(200)
    assert watched.evaluate("window.ran") is None
    assert any("script-src" in p for p in watched.problems())


def test_office_pages_run_without_inline_script(watched, live_server, users, survey, campaign):
    page = watched
    browser_login(page, live_server, "office")
    page.goto(live_server.url + reverse("core:home"))
    assert page.problems() == []

    # ECharts, set up by surveys/charts.js from json_script data.
    page.goto(live_server.url + reverse("surveys:round_results", args=[survey.round.pk]))
    page.locator(f"#chart-{survey.q_single.pk} canvas").wait_for()
    _shot(page, "survey_results")
    page.goto(live_server.url + reverse("surveys:survey_compare", args=[survey.pk]))
    page.locator("#chart-index canvas").wait_for()
    page.hover("#chart-index")  # the tooltip writes style attributes
    assert page.problems() == []

    # The period picker shows the fields of the chosen kind only.
    page.goto(live_server.url + reverse("assessment:dashboard"))
    assert page.locator("#period-start").is_hidden()
    page.select_option("#period-kind", "custom")
    assert page.locator("#period-start").is_visible()
    assert page.locator("#period-month").is_hidden()
    assert page.problems() == []

    # Submit-on-change (data-autosubmit) on the plan's phase filter.
    page.goto(live_server.url + reverse("campaigns:current_plan"))
    key = page.locator("#phase-filter option").nth(1).get_attribute("value")
    page.select_option("#phase-filter", key)
    page.wait_for_url(re.compile(rf"phase={key}"))
    assert page.problems() == []

    # HTMX: typing in the search box swaps the table and pushes the URL.
    page.goto(live_server.url + reverse("org:person_list"))
    page.locator("input[type=search]").fill("没有这个人")
    page.wait_for_url(re.compile(r"q="))
    page.locator("#person-table").wait_for()
    injected = "[...document.querySelectorAll('style')].some(s => s.textContent.includes('htmx-'))"
    assert page.evaluate(injected) is False  # includeIndicatorStyles: false
    assert page.problems() == []
    _shot(page, "person_search")


@override_settings(OPINIONS_MIN_FILL_SECONDS=0)
def test_the_public_form_runs_without_inline_script(watched, live_server, campaign):
    page = watched
    page.goto(live_server.url + reverse("portal:home"))
    assert page.problems() == []
    page.goto(live_server.url + reverse("opinions_public:submit"))
    token = page.locator("input[name=challenge]").get_attribute("value")
    data = signing.loads(token, salt=SALT)
    page.locator("textarea[name=content]").fill("便民服务中心窗口中午无人值班。")
    page.locator("input[name=answer]").fill(str(data["a"] + data["b"]))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/thanks/")
    assert Opinion.objects.count() == 1
    _shot(page, "opinion_thanks")
    assert page.problems() == []


def test_the_api_documentation_runs_under_the_policy(watched, live_server, users):
    page = watched
    browser_login(page, live_server, "office")
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    _shot(page, "api_docs")
    assert page.problems() == []
