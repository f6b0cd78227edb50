"""Every page in every role's navigation opens, with a current campaign and without one."""

import datetime

import pytest
from django.urls import reverse

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import login

ROLES = ["leader", "office", "liaison_lishi", "cadre_lishi", "sysadmin", "secadmin", "auditadmin"]


def _walk(client, users):
    failures = []
    for name in ROLES:
        user = getattr(users, name)
        client.logout()
        login(client, user)
        urls = [reverse("core:home")] + [reverse(i.url_name) for i in registry.nav_for(user)]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                failures.append(f"{name} {url}: {response.status_code}")
    return failures


def test_every_page_opens_without_a_campaign(client, users):
    assert _walk(client, users) == []


@pytest.mark.parametrize("months_ago", [0, 8])
def test_every_page_opens_with_a_current_campaign(client, users, months_ago):
    today = datetime.date.today()
    start = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=1)
    campaign_create_from_template(
        template_key="jiangdangxing", starts_on=start, by=None, make_current=True
    )
    assert _walk(client, users) == []
