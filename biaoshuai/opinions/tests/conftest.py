import datetime

import pytest
from django.core.cache import cache

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
    """Rate-limit counters and used challenges live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_form(settings):
    """The public form may be sent at once (the minimum fill time is tested on its own)."""
    settings.OPINIONS_MIN_FILL_SECONDS = 0
