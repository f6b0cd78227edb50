"""The top bar's campaign switcher, in a real browser: the list changes with the campaign."""

import datetime

import pytest
from django.utils import timezone

from biaoshuai.campaigns.models import CampaignChoice
from biaoshuai.opinions import services as opinions
from conftest import SCREENSHOTS, browser_login

from .factories import campaign_create, small_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_campaigns(users, org):
    today = timezone.localdate()
    long = campaign_create(starts_on=today.replace(month=1, day=1), make_current=True)
    short_data = small_template(key="short")
    short_data.update(name="作风建设专项整治", short_name="作风建设专项整治")
    short_data["phases"][0]["months"] = 3
    for kind in short_data["lists"]["deliverable_kinds"]:
        kind["due_month"] = 3
    short = campaign_create(data=short_data, starts_on=today - datetime.timedelta(days=20))
    for campaign, text in [
        (long, "长期活动意见：希望多开展谈心谈话。"),
        (short, "专项整治意见：窗口单位中午无人值班。"),
    ]:
        opinions.opinion_record(
            by=users.office,
            campaign=campaign,
            channel="hotline",
            received_on=today,
            content=text,
            unit_concerned=org.lishi,
        )
    return long, short


def _switch_to(page, campaign, shows):
    """Choose `campaign` in the top bar; the page reloads (HTMX redirect) showing `shows`."""
    with page.expect_navigation(wait_until="load"):
        page.locator("#campaign-switcher").select_option(str(campaign.pk))
    page.locator("main", has_text=shows).wait_for()


def test_office_switches_campaigns_in_the_top_bar(desktop_page, live_server, users, two_campaigns):
    long, short = two_campaigns
    page = desktop_page
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/opinions/")
    assert "长期活动意见" in page.content()
    assert "专项整治意见" not in page.content()

    _switch_to(page, short, "专项整治意见")
    assert page.url.endswith("/opinions/")  # back on the same list
    assert "专项整治意见" in page.content()
    assert "长期活动意见" not in page.content()
    assert page.locator("#campaign-switcher").input_value() == str(short.pk)
    assert CampaignChoice.objects.get(user=users.office).campaign == short
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "campaigns_switcher_desktop.png")

    # Remembered: a new visit opens in the campaign chosen.
    page.goto(f"{live_server.url}/opinions/")
    assert "专项整治意见" in page.content()
    _switch_to(page, long, "长期活动意见")
    assert "专项整治意见" not in page.content()


def test_switcher_on_a_phone(phone_page, live_server, users, two_campaigns):
    long, short = two_campaigns
    page = phone_page
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/opinions/")
    switcher = page.locator("#campaign-switcher")
    assert switcher.is_visible()
    _switch_to(page, short, "专项整治意见")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "campaigns_switcher_phone.png")
