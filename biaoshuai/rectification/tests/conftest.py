import datetime

import pytest
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.rectification import services


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=timezone.localdate() - datetime.timedelta(days=120),
        by=None,
        make_current=True,
    )


@pytest.fixture
def make_problem(campaign, users):
    def make(unit, *, description="服务基层不够主动", disclosure=Disclosure.RESTRICTED, **kwargs):
        return services.problem_create(
            by=users.office,
            unit=unit,
            campaign=campaign,
            dimension=kwargs.pop("dimension", "exemplary_role"),
            description=description,
            disclosure=disclosure,
            **kwargs,
        )

    return make


@pytest.fixture
def make_item(users):
    def make(
        problem, *, unit=None, days=30, parent=None, weight=1, measure="建立走访台账", **kwargs
    ):
        return services.item_create(
            by=users.office,
            problem=problem,
            measure=measure,
            unit=unit or problem.unit,
            kind=kwargs.pop("kind", "by_deadline"),
            deadline=timezone.localdate() + datetime.timedelta(days=days),
            parent=parent,
            weight=weight,
            **kwargs,
        )

    return make


def refresh(obj):
    obj.refresh_from_db()
    return obj


def bring_to(item, state, by):
    """Move `item` to `state` through the services."""
    from biaoshuai.rectification.models import RectificationItem as Item

    if state == Item.State.PLANNED:
        return refresh(item)
    services.progress_record(item=item, by=by, text="开始整改", percent=100)
    if state == Item.State.IN_PROGRESS:
        return refresh(item)
    services.item_submit(item=refresh(item), by=by)
    if state == Item.State.SUBMITTED:
        return refresh(item)
    if state == Item.State.RETURNED:
        services.item_return(item=refresh(item), by=by, reason="佐证材料不足")
        return refresh(item)
    services.item_close(item=refresh(item), by=by)
    return refresh(item)
