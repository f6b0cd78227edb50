import datetime

import pytest
from django.core.cache import cache

from biaoshuai.api.models import Scope
from biaoshuai.api.services import api_token_create
from biaoshuai.campaigns.services import campaign_create_from_template

ALL_SCOPES = list(Scope.values)


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date.today().replace(day=1),
        by=None,
        make_current=True,
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_token(*, unit=None, scopes=ALL_SCOPES, **kwargs):
    """(token row, the secret to send)."""
    token, secret, _ = api_token_create(
        by=None, name="12345 热线平台", scopes=scopes, unit=unit, **kwargs
    )
    return token, secret


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def hotline(org, campaign):
    """A token for every unit with every scope."""
    return make_token()


@pytest.fixture
def lishi_token(org, campaign):
    return make_token(unit=org.lishi)
