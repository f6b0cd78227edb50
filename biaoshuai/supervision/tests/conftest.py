import datetime

import pytest
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.supervision import services


@pytest.fixture
def campaign(org):
    """The seed's campaign, begun on the first of the month four months ago."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 4
    starts = datetime.date(index // 12, index % 12 + 1, 1)
    return campaign_create_from_template(
        template_key="jiangdangxing", starts_on=starts, by=None, make_current=True
    )


def issue(users, units, *, deadline=None, subject="落实学习计划", campaign):
    return services.supervision_item_issue(
        by=users.office,
        campaign=campaign,
        subject=subject,
        requirement="按要求完成并报送佐证材料",
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=10),
        units=units,
    )
