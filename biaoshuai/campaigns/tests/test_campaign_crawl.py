"""Two campaigns under way at once: every list page shows the chosen campaign's records only.

On the demo's records, a second campaign is created beside the demo's campaign, both under
way, with records of its own whose titles carry a word no demo record has. Every role
chooses each campaign in turn (through the top bar's switcher) and opens every list page
of the business apps (every named route without arguments), the home page and the
portal: no page fails, and none shows a record of the other campaign.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign, CampaignChoice
from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.campaigns.template import TEMPLATE_DIR
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.testing import BUSINESS_NAMESPACES, login
from biaoshuai.demo.loader import demo_unit, demo_user, load_demo, months_before
from biaoshuai.opinions import services as opinions
from biaoshuai.opinions.models import Opinion
from biaoshuai.publicity import services as publicity
from biaoshuai.publicity.models import Exemplar, NewsArticle
from biaoshuai.rectification.models import Problem
from biaoshuai.rectification.services import items as rectification_items
from biaoshuai.rectification.services import problems as rectification_problems
from biaoshuai.supervision.models import Inspection, SupervisionItem
from biaoshuai.supervision.services import inspections
from biaoshuai.supervision.services import items as supervision
from biaoshuai.surveys import services as surveys
from biaoshuai.surveys.models import Survey

# A word in every title of the second campaign's records, and in no demo record.
MARK = "晨曦专项"
TEMPLATE = TEMPLATE_DIR / "jiangdangxing.yaml"
ROLES = ["leader", "office", "liaison_lishi", "liaison_zengji", "cadre_lishi"]
# The home page too ("core").
CRAWLED_NAMESPACES = BUSINESS_NAMESPACES | {"core"}
PUBLIC_NAMESPACES = {
    "portal",
    "opinions_public",
    "surveys_public",
    "rectification_public",
    "publicity_public",
    "practice_public",
    "supervision_public",
}


@pytest.fixture(scope="module")
def two_campaigns(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield _second_campaign()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _second_campaign():
    """A second campaign under way beside the demo's, with a record in each list."""
    today = timezone.localdate()
    first = Campaign.objects.get(is_current=True)
    second = campaign_create_from_template(
        template_key="jiangdangxing", starts_on=months_before(today, 2), by=None
    )
    office, lishi, zengji = demo_user("office"), demo_unit("李市镇"), demo_unit("曾集镇")
    opinion, _ = opinions.opinion_record(
        by=office,
        campaign=second,
        channel="hotline",
        received_on=today,
        content=f"{MARK}：镇里的办事指南多年未更新。",
        unit_concerned=lishi,
    )
    opinions.opinion_assign(
        opinion=opinion, by=office, unit=lishi, deadline=today + datetime.timedelta(days=5)
    )
    problem = rectification_problems.problem_create(
        by=office,
        unit=lishi,
        campaign=second,
        dimension="discipline",
        description=f"{MARK}：办事指南未及时更新",
        disclosure=Disclosure.PUBLIC,
    )
    rectification_items.item_create(
        by=office,
        problem=problem,
        measure=f"{MARK}：重新编印办事指南",
        unit=lishi,
        kind="immediate",
        deadline=today + datetime.timedelta(days=3),
        person=lishi.people.filter(user__username="cadre_lishi").first(),
    )
    supervision.supervision_item_issue(
        by=office,
        campaign=second,
        subject=f"{MARK}督办事项",
        requirement="报送办事指南更新情况。",
        deadline=today + datetime.timedelta(days=2),
        units=[lishi, zengji],
    )
    inspections.inspection_create(
        by=office,
        campaign=second,
        unit=lishi,
        visited_on=today,
        inspectors_text="孙晓燕",
        summary=f"{MARK}检查：办事指南",
        findings=[f"{MARK}发现：指南陈旧"],
    )
    article = publicity.news_create(
        unit=lishi,
        by=office,
        title=f"{MARK}新闻：李市镇更新办事指南",
        body="李市镇重新编印办事指南。",
        campaign=second,
    )
    publicity.review_submit(obj=article, by=office)
    publicity.review_publish(obj=article, by=office, disclosure=Disclosure.PUBLIC)
    exemplar = publicity.exemplar_create(
        unit=lishi,
        by=office,
        title=f"{MARK}典型：办事指南一图读懂",
        summary="把办事指南做成一张图。",
        body="把办事指南做成一张图，贴在便民服务中心门口。",
        campaign=second,
    )
    publicity.review_submit(obj=exemplar, by=office)
    publicity.review_publish(obj=exemplar, by=office, disclosure=Disclosure.PUBLIC)
    for audience in (Survey.Audience.CADRES, Survey.Audience.PUBLIC):
        surveys.survey_create(
            campaign=second,
            unit=demo_unit("县委组织部部机关"),
            by=office,
            title=f"{MARK}问卷（{audience.label}）",
            audience=audience,
        )
    return first, second


@pytest.fixture(autouse=True)
def _no_choice_yet(db):
    """Each test starts with every user in the default campaign."""
    CampaignChoice.objects.all().delete()


def _first_campaign_words(first):
    """Titles of the demo campaign's records, as lists show them (the first characters).

    Titles that repeat the template's own words (a plan step named like a questionnaire)
    are left out: the second campaign, made from the same template, shows them too.
    """
    template = TEMPLATE.read_text(encoding="utf-8")
    words = set()
    for model, field in [
        (NewsArticle, "title"),
        (Exemplar, "title"),
        (SupervisionItem, "subject"),
        (Survey, "title"),
        (Opinion, "content"),
        (Problem, "description"),
        (Inspection, "summary"),
    ]:
        for text in model.objects.filter(campaign=first).values_list(field, flat=True):
            if len(text) >= 8 and text[:12] not in template:
                words.add(text[:12])
    return words


def _list_routes(namespaces):
    """Every named route without arguments in `namespaces`: the lists and start pages."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace in namespaces:
                if not pattern.pattern.converters and "<" not in str(pattern.pattern):
                    yield f"{namespace}:{pattern.name}"

    return sorted(set(walk(get_resolver().url_patterns, None)))


def _crawl(client, urls, foreign):
    """{url: what went wrong} for pages that fail or show one of the `foreign` words."""
    problems = {}
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            problems[url] = response.status_code
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        shown = sorted(word for word in foreign if word in body)
        if shown:
            problems[url] = shown
    return problems


def test_both_campaigns_are_under_way_and_listed_in_the_switcher(client, two_campaigns, db):
    first, second = two_campaigns
    today = timezone.localdate()
    assert first.is_under_way(today) and second.is_under_way(today)
    login(client, get_user_model().objects.get(username="cadre_lishi"))
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="campaign-switcher"' in page
    assert f'value="{first.pk}" selected' in page
    assert f'<option value="{second.pk}"' in page


@pytest.mark.parametrize("role", ROLES)
def test_every_list_shows_the_chosen_campaign_only(client, two_campaigns, db, role):
    first, second = two_campaigns
    user = get_user_model().objects.get(username=role)
    login(client, user)
    urls = [reverse(name) for name in _list_routes(CRAWLED_NAMESPACES)]
    assert len(urls) > 40
    first_words = _first_campaign_words(first)
    assert len(first_words) > 20

    # By default the user works in the current campaign: nothing of the second shows.
    assert _crawl(client, urls, {MARK}) == {}

    # Chosen in the top bar: the second campaign's records only.
    response = client.post(
        reverse("campaigns:choose"), {"campaign": second.pk, "next": reverse("core:home")}
    )
    assert response.status_code == 302
    assert CampaignChoice.objects.get(user=user).campaign == second
    assert _crawl(client, urls, first_words) == {}

    # And the lists do show them (the office sees every unit's).
    if role == "office":
        assert MARK in client.get(reverse("opinions:list")).content.decode()
        assert MARK in client.get(reverse("supervision:item_list")).content.decode()

    client.post(reverse("campaigns:choose"), {"campaign": first.pk})
    assert _crawl(client, urls[:10], {MARK}) == {}


def test_the_portal_shows_each_campaign_on_its_own(client, two_campaigns, db):
    first, second = two_campaigns
    urls = [reverse(name) for name in _list_routes(PUBLIC_NAMESPACES)]
    assert len(urls) > 5
    assert _crawl(client, urls, {MARK}) == {}
    home = client.get(reverse("portal:home")).content.decode()
    assert f"?campaign={second.pk}" in home  # each campaign has its column
    # Chosen once with ?campaign=, remembered for the visitor's next pages.
    assert _crawl(client, [f"{reverse('portal:home')}?campaign={second.pk}"], set()) == {}
    assert _crawl(client, urls, _first_campaign_words(first)) == {}
    news = client.get(reverse("publicity_public:news_list")).content.decode()
    assert f"{MARK}新闻" in news
    client.get(f"{reverse('portal:home')}?campaign={first.pk}")
    assert _crawl(client, urls, {MARK}) == {}


def test_the_api_names_its_campaign(client, two_campaigns, db):
    first, second = two_campaigns
    login(client, get_user_model().objects.get(username="office"))
    url = "/api/v1/opinions"
    today = timezone.localdate()
    under_way = [c for c in Campaign.objects.order_by("-starts_on", "-id") if c.is_under_way(today)]
    latest = under_way[0]
    assert len(under_way) >= 3 and latest not in (first, second)  # the demo's short one
    ids = {
        c: set(Opinion.objects.filter(campaign=c).values_list("pk", flat=True))
        for c in (first, second, latest)
    }

    def listed(**params):
        response = client.get(url, {"limit": 200, **params})
        assert response.status_code == 200, response.content
        return {o["id"] for o in response.json()["items"]}

    # Without ?campaign=: the latest campaign under way, not the default one.
    assert ids[latest] and listed() == ids[latest]
    assert client.get("/api/v1/campaigns/current").json()["id"] == latest.pk
    assert listed(campaign=second.pk) == ids[second]
    assert listed(campaign=first.pk) == ids[first]
    current = client.get("/api/v1/campaigns/current", {"campaign": second.pk}).json()
    assert current["id"] == second.pk
    for wrong in (10**9, "x"):
        missing = client.get(url, {"campaign": wrong})
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    # The campaign picked in the pages' switcher does not move the API's default.
    for chosen in (second, first):
        client.post(reverse("campaigns:choose"), {"campaign": chosen.pk})
        assert client.get("/api/v1/campaigns/current").json()["id"] == latest.pk
        assert listed() == ids[latest]
    # The list of campaigns gives the ids to name.
    rows = client.get("/api/v1/campaigns").json()
    assert [r["id"] for r in rows][:1] == [latest.pk]
    assert {first.pk, second.pk, latest.pk} <= {r["id"] for r in rows if r["under_way"]}
