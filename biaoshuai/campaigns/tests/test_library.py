"""The template library: every shipped template is valid, creates its campaign, and with it
current beside the first campaign every role's pages and the portal work and speak its words,
not the first campaign's."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from biaoshuai.campaigns.template import TEMPLATE_DIR, template_choices, template_load
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import login

from .factories import SEED_KEY, campaign_create

LIBRARY = sorted(p.stem for p in TEMPLATE_DIR.glob("*.yaml") if p.stem != SEED_KEY)
# Words only the first campaign uses: its short name and its own labels.
SEED_WORDS = ["讲党性、重品行、作表率", "三有", "三个换位", "三看", "组活办"]
# The top bar's campaign switcher and the portal's list of campaigns name every campaign,
# the other one included; the rest of a page must not.
CAMPAIGN_LISTS = re.compile(
    r'<form[^>]*campaign-switcher.*?</form>|<div class="list-group portal-campaigns">.*?</div>',
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


@pytest.mark.parametrize("key", LIBRARY)
def test_crawl_with_a_library_campaign_current(client, org, users, key):
    # The first campaign, ended: the home page names the other campaigns under way.
    campaign_create(starts_on=datetime.date(2022, 1, 1))
    campaign = campaign_create(
        template_key=key, starts_on=datetime.date(2026, 9, 1), make_current=True
    )
    assert campaign.is_current and campaign.phases.count() == len(template_load(key)["phases"])
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
            found = [word for word in SEED_WORDS if word in html]
            assert not found, (user, url, found)
    client.logout()
    portal = [reverse("portal:home"), reverse("portal:column")]
    portal += [
        reverse(section.url_name)
        for section in registry.portal_sections.values()
        if campaign.module_on(section.key.split(".", 1)[0])
    ]
    for url in portal:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = CAMPAIGN_LISTS.sub("", response.content.decode())
        assert not [word for word in SEED_WORDS if word in html], url
    assert campaign.name in client.get(reverse("portal:column")).content.decode()
