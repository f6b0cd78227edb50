"""A campaign's own names (its template's `labels`) title the pages, panels, exports and
portal sections that show the entry, not only the menu; another campaign never sees them."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse

from biaoshuai.core.testing import login

from .factories import campaign_create, campaign_variant

pytestmark = pytest.mark.django_db

LABELS = {
    "study.deliverables": "心得体会审核",
    "study.deliverable_rate": "心得体会通过率",
    "practice.discussions": "“大家谈”讨论",
    "practice.pairings": "结对共建",
    "practice.placements": "岗位互换",
    "rectification.problems": "检视问题台账",
    "publicity.exemplars": "身边榜样",
    "surveys.open": "网上测评",
    "supervision.overdue": "超期督办件",
}
# Pages and what they must call the entry.
PAGES = {
    "core:home": ["“大家谈”讨论", "结对共建", "岗位互换", "心得体会通过率"],
    "study:deliverable_list": ["心得体会审核"],
    "study:completion": ["心得体会通过率"],
    "practice:discussion_list": ["“大家谈”讨论", "结对共建", "岗位互换"],
    "practice:pairing_list": ["结对共建"],
    "rectification:problem_list": ["检视问题台账"],
    "publicity:exemplar_list": ["身边榜样"],
    "assessment:dashboard": ["超期督办件"],
}
PORTAL = {
    "portal:home": ["身边榜样", "网上测评"],
    "publicity_public:exemplar_list": ["身边榜样"],
    "surveys_public:list": ["网上测评"],
}


@pytest.fixture(autouse=True)
def _fresh_caches():
    for cache in caches.all():
        cache.clear()


def _relabel(data):
    data["labels"] = dict(LABELS)


def test_pages_panels_and_the_portal_use_the_campaigns_names(client, users, org):
    campaign_variant(_relabel, make_current=True)
    login(client, users.office)
    for name, words in PAGES.items():
        page = client.get(reverse(name)).content.decode()
        assert [w for w in words if w not in page] == [], name
    export = client.get(reverse("practice:discussion_export"))
    assert export.status_code == 200
    assert "%E2%80%9C%E5%A4%A7%E5%AE%B6%E8%B0%88" in export["Content-Disposition"]  # “大家谈
    client.logout()
    for name, words in PORTAL.items():
        page = client.get(reverse(name)).content.decode()
        assert [w for w in words if w not in page] == [], name


def test_another_campaign_keeps_its_own_names(client, users, org):
    campaign_variant(_relabel, starts_on=datetime.date(2026, 1, 1))
    campaign_create(make_current=True)
    login(client, users.office)
    for name in PAGES:
        page = client.get(reverse(name)).content.decode()
        assert not [w for w in LABELS.values() if w in page], name
    client.logout()
    for name in PORTAL:
        page = client.get(reverse(name)).content.decode()
        assert not [w for w in LABELS.values() if w in page], name
