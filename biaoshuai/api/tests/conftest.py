import datetime

import pytest
from django.core.cache import cache

from biaoshuai.api.testing import ALL_SCOPES, auth, make_token  # noqa: F401
from biaoshuai.campaigns.services import campaign_create_from_template


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


@pytest.fixture
def hotline(org, campaign):
    """A token for every unit with every scope."""
    return make_token()


@pytest.fixture
def lishi_token(org, campaign):
    return make_token(unit=org.lishi)
