import pytest
from django.utils import timezone

from biaoshuai.campaigns.models import PlanStep
from conftest import SCREENSHOTS, browser_login

from .factories import campaign_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_campaign(users):
    today = timezone.localdate()
    return campaign_create(starts_on=today.replace(month=1, day=1), make_current=True)


def test_office_marks_a_step_done(desktop_page, live_server, users, live_campaign):
    page = desktop_page
    step = (
        PlanStep.objects.filter(phase__campaign=live_campaign)
        .exclude(status=PlanStep.Status.DONE)
        .order_by("phase__order", "order")
        .first()
    )
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/campaigns/plan/")
    row = page.locator(f"#step-{step.pk}")
    badge = row.locator(".step-status")
    assert badge.get_attribute("data-status") != "done"
    row.locator("summary", has_text="更新状态").click()
    row.locator("select[name=status]").select_option("done")
    row.locator("input[name=note]").fill("已按方案完成")
    row.locator("button[type=submit]").click()
    # The row is swapped in place (HTMX): the new badge says done.
    page.locator(f"#step-{step.pk} .step-status[data-status=done]").wait_for()
    assert page.locator(f"#step-{step.pk} .step-status").inner_text() == "已完成"
    assert "已按方案完成" in page.locator(f"#step-{step.pk}").inner_text()
    step.refresh_from_db()
    assert step.status == PlanStep.Status.DONE
    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "campaigns_plan_desktop_top.png")


def test_plan_on_a_phone(phone_page, live_server, users, live_campaign):
    page = phone_page
    browser_login(page, live_server, "cadre_lishi")
    page.goto(f"{live_server.url}/campaigns/plan/?phase=focus")
    page.locator(".plan-phase").first.wait_for()
    # Nothing overflows the screen sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert page.locator(".timeline-bar .today").count() > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "campaigns_plan_phone_top.png")
    page.goto(f"{live_server.url}/")
    page.screenshot(path=SCREENSHOTS / "campaigns_home_phone.png", full_page=True)
