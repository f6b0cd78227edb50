"""The template library: every shipped template is valid, creates its campaign, and with it
current beside the first campaign every role's pages and the portal work and speak its words,
not the first campaign's."""

import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.core.cache import caches
from django.urls import reverse

from biaoshuai.campaigns.template import TEMPLATE_DIR, template_choices, template_load
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import login
from biaoshuai.opinions import services as opinions
from biaoshuai.publicity import services as publicity
from biaoshuai.rectification.services import items as rectification_items
from biaoshuai.rectification.services import problems as rectification_problems
from biaoshuai.supervision.services import bulletins
from biaoshuai.supervision.services import items as supervision
from biaoshuai.surveys import services as surveys
from biaoshuai.surveys.models import Question, Survey

from .factories import SEED_KEY, campaign_create

LIBRARY = sorted(p.stem for p in TEMPLATE_DIR.glob("*.yaml") if p.stem != SEED_KEY)
# The demo's second campaign (作风建设专项整治) is crawled the same way.
DEMO_TEMPLATE = Path(__file__).resolve().parents[2] / "demo" / "templates" / "zuofeng.yaml"
# Words only the first campaign uses: its short name and its own labels.
SEED_WORDS = ["讲党性、重品行、作表率", "三有", "三个换位", "三看", "组活办"]
# A word in the title of each record of the first campaign (see _seed_records).
SEED_MARK = "旧活动专属"
# The top bar's campaign switcher, the portal's list of campaigns and the inbox's note of
# unread notices elsewhere name the other campaign; the rest of a page must not.
CAMPAIGN_LISTS = re.compile(
    r'<form[^>]*campaign-switcher.*?</form>|<div class="list-group portal-campaigns">.*?</div>'
    r'|<div[^>]*id="unread-elsewhere">.*?</div>',
    re.S,
)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The portal's pages are cached; each crawl starts without another test's pages."""
    for cache in caches.all():
        cache.clear()


def test_the_library_holds_real_campaigns():
    assert {"xianjinxing", "liangxue_yizuo", "dangshi_xuexi", "zhuti_jiaoyu_2023"} <= set(LIBRARY)
    assert {key for key, _name in template_choices()} == {SEED_KEY, *LIBRARY}


@pytest.mark.parametrize("key", LIBRARY)
def test_a_library_template_is_valid_and_has_no_words_of_the_first(key):
    data = template_load(key)
    text = (TEMPLATE_DIR / f"{key}.yaml").read_text(encoding="utf-8")
    assert not [word for word in SEED_WORDS if word in text]
    assert data["participants"] and data["reporting"]["bulletin"]["issuer"]


@pytest.mark.parametrize("key", [*LIBRARY, "demo_zuofeng"])
def test_crawl_with_a_library_campaign_current(client, org, users, key):
    # The first campaign, ended: the home page names the other campaigns under way.
    first = campaign_create(starts_on=datetime.date(2022, 1, 1))
    _seed_records(first, org, users)
    if key == "demo_zuofeng":
        data = yaml.safe_load(DEMO_TEMPLATE.read_text(encoding="utf-8"))
        assert not [word for word in SEED_WORDS if word in DEMO_TEMPLATE.read_text("utf-8")]
    else:
        data = template_load(key)
    campaign = campaign_create(data=data, starts_on=datetime.date(2026, 9, 1), make_current=True)
    assert campaign.is_current and campaign.phases.count() == len(data["phases"])
    for user in (users.office, users.leader, users.liaison_lishi, users.cadre_lishi):
        login(client, user)
        home = client.get(reverse("core:home"))
        assert home.status_code == 200
        pages = [reverse("core:home")]
        for entry in registry.nav_for(user):
            url = reverse(entry.url_name)
            if campaign.module_on(entry.key.split(".", 1)[0]):
                pages.append(url)
            else:
                assert f'href="{url}"' not in home.content.decode(), (user, url)
                assert client.get(url).status_code == 404
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (user, url, response.status_code)
            if url == reverse("campaigns:campaign_list"):
                continue  # lists every campaign by name
            html = CAMPAIGN_LISTS.sub("", response.content.decode())
            found = [word for word in [*SEED_WORDS, SEED_MARK] if word in html]
            assert not found, (user, url, found)
    client.logout()
    portal = [reverse("portal:home"), reverse("portal:column")]
    portal += [
        reverse(section.url_name)
        for section in registry.portal_sections.values()
        if campaign.module_on(section.key.split(".", 1)[0])
    ]
    portal.append(reverse("portal:feed"))
    for url in portal:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = CAMPAIGN_LISTS.sub("", response.content.decode())
        assert not [word for word in [*SEED_WORDS, SEED_MARK] if word in html], url
    assert campaign.name in client.get(reverse("portal:column")).content.decode()


def _seed_records(first, org, users):
    """Records of the first campaign that any list, panel or portal page could show: an
    opinion, a problem with its item, a supervision item, a published bulletin, news and
    exemplar, and questionnaires (cadres' and the public's, open)."""
    office, today = users.office, datetime.date(2026, 11, 18)
    opinion, _code = opinions.opinion_record(
        by=office,
        campaign=first,
        channel="hotline",
        received_on=today,
        content=f"{SEED_MARK}意见：村务公开栏长期未更新",
        unit_concerned=org.lishi,
    )
    opinions.opinion_assign(
        opinion=opinion, by=office, unit=org.lishi, deadline=today + datetime.timedelta(days=2)
    )
    problem = rectification_problems.problem_create(
        by=office,
        unit=org.lishi,
        campaign=first,
        dimension="discipline",
        description=f"{SEED_MARK}问题：公开栏未更新",
        disclosure=Disclosure.PUBLIC,
    )
    rectification_items.item_create(
        by=office,
        problem=problem,
        measure=f"{SEED_MARK}措施：每月更新公开栏",
        unit=org.lishi,
        kind="immediate",
        deadline=today + datetime.timedelta(days=1),
        person=org.people["lishi_a"],
    )
    supervision.supervision_item_issue(
        by=office,
        campaign=first,
        subject=f"{SEED_MARK}督办：公开栏",
        requirement="报送公开栏更新情况。",
        deadline=today + datetime.timedelta(days=2),
        units=[org.lishi, org.zengji],
    )
    bulletin = bulletins.bulletin_generate(
        by=office,
        campaign=first,
        period_start=datetime.date(2024, 6, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    bulletin = bulletins.bulletin_update(by=office, bulletin=bulletin, title=f"{SEED_MARK}通报")
    bulletins.bulletin_submit(by=office, bulletin=bulletin)
    bulletin = bulletins.bulletin_approve(by=users.leader, bulletin=bulletin)
    bulletins.bulletin_publish(by=office, bulletin=bulletin, disclosure=Disclosure.PUBLIC)
    article = publicity.news_create(
        unit=org.lishi,
        by=office,
        title=f"{SEED_MARK}新闻：公开栏焕然一新",
        body="正文。",
        campaign=first,
    )
    publicity.review_submit(obj=article, by=office)
    publicity.review_publish(obj=article, by=office, disclosure=Disclosure.PUBLIC)
    exemplar = publicity.exemplar_create(
        unit=org.lishi,
        by=office,
        title=f"{SEED_MARK}典型：公开栏",
        summary="摘要。",
        body="正文。",
        campaign=first,
    )
    publicity.review_submit(obj=exemplar, by=office)
    publicity.review_publish(obj=exemplar, by=office, disclosure=Disclosure.PUBLIC)
    for audience in (Survey.Audience.CADRES, Survey.Audience.PUBLIC):
        survey = surveys.survey_create(
            campaign=first,
            unit=org.department,
            by=office,
            title=f"{SEED_MARK}问卷（{audience.label}）",
            audience=audience,
        )
        surveys.question_create(survey=survey, by=office, kind=Question.Kind.RATING, text="满意吗")
        survey_round = surveys.round_create(
            survey=survey,
            by=office,
            name="2026",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=10),
        )
        surveys.round_open(survey_round=survey_round, by=office)
