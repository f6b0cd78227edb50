"""Choosing the campaign one works in, and resolving it once per request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biaoshuai.campaigns import selectors
from biaoshuai.campaigns.models import CampaignChoice
from biaoshuai.core import campaign as active_campaign
from biaoshuai.core.testing import ANONYMOUS, assert_access, login
from biaoshuai.opinions.models import Opinion
from biaoshuai.opinions.services import opinion_record

from .factories import campaign_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(users):
    first = campaign_create(starts_on=datetime.date(2026, 1, 1), make_current=True)
    second = campaign_create(starts_on=datetime.date(2026, 10, 1))
    return first, second


def test_who_may_choose(client, users, two):
    first, second = two
    url = reverse("campaigns:choose")
    data = {"campaign": second.pk, "next": "/opinions/"}
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.sysadmin: 404,
            users.norole: 403,
            users.cadre_lishi: 302,
            users.liaison_lishi: 302,
            users.office: 302,
        },
        method="post",
        data=data,
    )
    assert set(CampaignChoice.objects.values_list("user__username", "campaign")) == {
        ("cadre_lishi", second.pk),
        ("liaison_lishi", second.pk),
        ("office", second.pk),
    }
    login(client, users.office)
    assert client.get(url).status_code == 405
    assert client.post(url, {"campaign": 10**9}).status_code == 404
    assert client.post(url, {"campaign": "x"}).status_code == 404


def test_choosing_returns_to_the_page_on_this_site_only(client, users, two):
    first, second = two
    login(client, users.office)
    url = reverse("campaigns:choose")
    response = client.post(url, {"campaign": second.pk, "next": "/opinions/?state=new"})
    assert response.url == "/opinions/?state=new"
    response = client.post(url, {"campaign": first.pk, "next": "https://evil.example/"})
    assert response.url == reverse("core:home")
    response = client.post(url, {"campaign": second.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("core:home")


def test_the_choice_is_remembered_and_scopes_the_records(client, users, two, org):
    first, second = two
    for campaign, text in [(first, "第一个活动的意见"), (second, "第二个活动的意见")]:
        opinion_record(
            by=users.office,
            campaign=campaign,
            channel="hotline",
            received_on=datetime.date(2026, 11, 1),
            content=text,
        )
    login(client, users.office)
    page = client.get(reverse("opinions:list")).content.decode()
    assert "第一个活动的意见" in page and "第二个活动的意见" not in page
    client.post(reverse("campaigns:choose"), {"campaign": second.pk})
    client.logout()
    login(client, users.office)  # a new session: the choice stays
    page = client.get(reverse("opinions:list")).content.decode()
    assert "第二个活动的意见" in page and "第一个活动的意见" not in page
    # Outside a request nothing is filtered; `override` works in a campaign on purpose.
    assert Opinion.objects.restrict(users.office).count() == 2
    with active_campaign.override(first):
        assert list(Opinion.objects.restrict(users.office)) == [Opinion.objects.get(campaign=first)]
        assert selectors.campaign_current() == first
    # When the campaign chosen is deleted, the user works in the current campaign.
    third = campaign_create(starts_on=datetime.date(2026, 11, 1))
    client.post(reverse("campaigns:choose"), {"campaign": third.pk})
    assert "第一个活动的意见" not in client.get(reverse("opinions:list")).content.decode()
    third.delete()
    page = client.get(reverse("opinions:list")).content.decode()
    assert "第一个活动的意见" in page


def test_the_campaign_is_loaded_once_per_request(client, users, two):
    login(client, users.office)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:home")).status_code == 200
    campaign_queries = [
        q["sql"] for q in ctx.captured_queries if 'FROM "campaigns_campaign"' in q["sql"]
    ]
    # The home page reads the campaign in many panels; the campaign table is read once.
    assert len(campaign_queries) == 1, campaign_queries


def test_no_campaign_query_on_pages_that_do_not_need_one(client, users, two):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:login")).status_code == 200
    assert not [q for q in ctx.captured_queries if "campaigns_campaign" in q["sql"]]


def test_the_api_works_in_the_latest_campaign_under_way(client, users, two):
    first, second = two
    upcoming = campaign_create(starts_on=datetime.date(2027, 1, 1))
    login(client, users.office)
    client.post(reverse("campaigns:choose"), {"campaign": first.pk})
    # Both under way: the later start wins over the default and over the page's choice.
    assert client.get("/api/v1/campaigns/current").json()["id"] == second.pk
    assert client.get(f"/api/v1/campaigns/current?campaign={upcoming.pk}").json()["id"] == (
        upcoming.pk
    )


def test_the_api_falls_back_to_the_default_when_none_is_under_way(client, users):
    ended = campaign_create(starts_on=datetime.date(2020, 1, 1), make_current=True)
    campaign_create(starts_on=datetime.date(2019, 1, 1))
    login(client, users.office)
    assert client.get("/api/v1/campaigns/current").json()["id"] == ended.pk


def test_the_inbox_lists_the_campaigns_notices_and_opening_one_moves_there(client, users, two):
    from biaoshuai.notifications.models import Notification
    from biaoshuai.notifications.services import notify

    first, second = two
    for campaign, text in (
        (first, "第一个活动的通知"),
        (second, "第二个活动的通知"),
        (None, "账户通知"),
    ):
        notify(
            recipients=[users.office.pk],
            kind="supervision.remind",
            text=text,
            url="/opinions/",
            campaign=campaign,
        )
    login(client, users.office)
    client.post(reverse("campaigns:choose"), {"campaign": first.pk})
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "第一个活动的通知" in page and "账户通知" in page
    assert "第二个活动的通知" not in page
    assert 'id="unread-elsewhere"' in page and f'value="{second.pk}"' in page

    notice = Notification.objects.get(text="第二个活动的通知")
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/opinions/"
    assert CampaignChoice.objects.get(user=users.office).campaign == second
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "第二个活动的通知" in page and "第一个活动的通知" not in page
    assert 'id="unread-elsewhere"' in page  # the first's is still unread
