import datetime

import pytest

from biaoshuai.campaigns.services import campaign_create_from_template


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date.today().replace(day=1),
        by=None,
        make_current=True,
    )
