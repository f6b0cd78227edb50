"""One figure, one value: every element with data-metric shows the same value for the same
metric, campaign, unit and period on every page; scores go stale and recompute."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from biaoshuai.assessment.models import ScorePeriod
from biaoshuai.assessment.periods import month_period
from biaoshuai.assessment.services import score_period_compute, scores_mark_stale
from biaoshuai.assessment.tests.test_scoring import dataset
from biaoshuai.core.testing import login
from biaoshuai.supervision.services.bulletins import bulletin_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_month():
    return month_period(timezone.localdate())


@pytest.fixture
def computed(org, towns, metrics, campaign, users, this_month):
    dataset(org, towns, metrics, campaign, users, period=this_month)
    return score_period_compute(
        campaign=campaign, period_start=this_month.start, period_end=this_month.end
    )


FIGURE = re.compile(
    r'data-metric="([^"]+)" data-campaign="([^"]*)" data-unit="([^"]+)" '
    r'data-period="([^"]+)" data-value="([^"]*)"'
)


def _raw(value):
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:.2f}".rstrip("0")


def collect(pages):
    seen = defaultdict(set)
    for name, html in pages.items():
        for metric, campaign, unit, period, value in FIGURE.findall(html):
            seen[(metric, campaign, unit, period)].add((value, name))
    return seen


def test_same_metric_unit_and_period_show_one_value(
    client, org, users, campaign, computed, metrics, this_month
):
    metrics.add(
        "supervision.overdue",
        {org.department.pk: 4, org.lishi.pk: 0, org.zengji.pk: 3},
        kind="count",
    )
    score_period_compute(
        campaign=campaign, period_start=this_month.start, period_end=this_month.end
    )
    pages = {}
    login(client, users.leader)
    pages["home"] = client.get(reverse("core:home")).content.decode()
    pages["dashboard"] = client.get(reverse("assessment:dashboard")).content.decode()
    login(client, users.office)
    pages["office home"] = client.get(reverse("core:home")).content.decode()
    pages["unit"] = client.get(
        reverse("assessment:unit_detail", args=[org.zengji.pk])
    ).content.decode()
    bulletin = bulletin_generate(
        by=users.office,
        campaign=campaign,
        period_start=this_month.start,
        period_end=this_month.end,
    )
    pages["bulletin"] = client.get(
        reverse("supervision:bulletin_detail", args=[bulletin.pk])
    ).content.decode()
    seen = collect(pages)
    login(client, users.leader)
    for query in ("", "?period=2026-11"):
        answer = client.get(f"/api/v1/assessment/figures{query}")
        assert answer.status_code == 200
        for item in answer.json()["items"]:
            if item["value"] is None:
                continue
            key = (item["metric"], str(item["campaign"]), item["unit"], item["period"])
            seen[key].add((_raw(item["value"]), "api"))
    overdue = {k: v for k, v in seen.items() if k[0] == "supervision.overdue"}
    assert overdue, "the overdue figure is shown"
    # The leader's home, the dashboard and the API all say 4 for the whole county today.
    everywhere = {n for k, v in overdue.items() if k[2] == "all" for _v, n in v}
    assert {"home", "dashboard", "api"} <= everywhere
    # The unit's assessment breakdown, the bulletin and the API agree on the month's figures.
    month = {n for k, v in seen.items() if k[3] == "2026-11" for _v, n in v}
    assert {"unit", "bulletin", "api"} <= month
    shared = {k: v for k, v in seen.items() if len({n for _v, n in v}) > 1}
    assert shared, "some figure appears on several pages"
    for key, values in seen.items():
        assert len({v for v, _n in values}) == 1, (key, values)


def test_writes_mark_scores_stale_and_the_page_says_so(client, users, campaign, computed):
    # The tests' task backend runs the queued recomputation at once.
    assert scores_mark_stale(campaign_id=campaign.pk) == 1
    period = ScorePeriod.objects.get(pk=computed.pk)
    assert period.stale_since is None and period.computed_at > computed.computed_at
    ScorePeriod.objects.filter(pk=computed.pk).update(stale_since=timezone.now())
    assert scores_mark_stale(campaign_id=campaign.pk) == 0  # already stale: not queued again
    login(client, users.office)
    page = client.get(reverse("assessment:ranking")).content.decode()
    assert "data-stale" in page and "正在自动重新计算" in page
    score_period_compute(
        campaign=campaign, period_start=period.period_start, period_end=period.period_end
    )
    assert ScorePeriod.objects.get(pk=computed.pk).stale_since is None
    assert "data-stale" not in client.get(reverse("assessment:ranking")).content.decode()


def test_a_committed_write_recomputes_once(
    users, campaign, computed, this_month, django_capture_on_commit_callbacks
):
    from django.db import connection, transaction

    connection.run_on_commit.clear()  # the fixtures' own writes are not this test's
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(2):
                bulletin_generate(
                    by=users.office,
                    campaign=campaign,
                    period_start=this_month.start,
                    period_end=this_month.end,
                )
    period = ScorePeriod.objects.get(pk=computed.pk)
    # One after-commit call for the transaction's writes; the tests' task backend
    # recomputed the scores at once, so they are fresh again.
    assert len([c for c in callbacks if type(c).__name__ == "_AfterCommit"]) == 1
    assert period.computed_at > computed.computed_at and period.stale_since is None
