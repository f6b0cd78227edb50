"""A period's figures: overdue items are counted as of the period's last day, so October's
bulletin regenerated in December still gives October's numbers."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from biaoshuai.core.figures import FigurePeriod, figure_by_unit
from biaoshuai.core.registry import registry
from biaoshuai.rectification.models import RectificationItem as Item

pytestmark = pytest.mark.django_db

OCTOBER = FigurePeriod.month(datetime.date(2026, 10, 1))


def _items(org, make_problem, make_item):
    problem = make_problem(org.lishi)
    listed = timezone.make_aware(datetime.datetime(2026, 10, 1, 9))
    closed_late, open_later, open_due = (make_item(problem) for _ in range(3))
    Item.objects.filter(pk=closed_late.pk).update(  # overdue on Oct 31, closed since
        deadline=datetime.date(2026, 10, 20),
        state=Item.State.CLOSED,
        closed_on=datetime.date(2026, 11, 10),
        created_at=listed,
    )
    Item.objects.filter(pk=open_later.pk).update(  # fell due in late November
        deadline=datetime.date(2026, 11, 10), created_at=listed
    )
    Item.objects.filter(pk=open_due.pk).update(  # not due yet
        deadline=datetime.date(2026, 11, 25), created_at=listed
    )


def test_overdue_as_of_a_months_last_day(org, campaign, make_problem, make_item):
    _items(org, make_problem, make_item)
    metric = registry.metrics["rectification.overdue"]
    now = figure_by_unit(
        metric, campaign=campaign, unit_ids=[org.lishi.pk], period=FigurePeriod.as_of()
    )
    assert now == {org.lishi.pk: 1}  # today only the November item is overdue
    october = figure_by_unit(metric, campaign=campaign, unit_ids=[org.lishi.pk], period=OCTOBER)
    assert october == {org.lishi.pk: 1}  # on Oct 31 only the item closed in November was


def test_octobers_bulletin_regenerated_in_december(org, campaign, make_problem, make_item):
    from biaoshuai.supervision.selectors.bulletins import bulletin_figures

    _items(org, make_problem, make_item)
    Item.objects.filter(deadline=datetime.date(2026, 10, 20)).update(
        closed_on=datetime.date(2026, 12, 1)
    )
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        figures = bulletin_figures(
            campaign=campaign, period_start=OCTOBER.start, period_end=OCTOBER.end
        )
        now = figure_by_unit(
            registry.metrics["rectification.overdue"],
            campaign=campaign,
            unit_ids=[org.lishi.pk],
            period=FigurePeriod.as_of(),
        )
    assert figures["period"] == "2026-10"
    # October: one item was overdue on Oct 31; the items that fell due in November are not
    # October's, though both are overdue by December 3.
    assert figures["metrics"]["rectification.overdue"][str(org.lishi.pk)] == 1
    assert now == {org.lishi.pk: 2}
