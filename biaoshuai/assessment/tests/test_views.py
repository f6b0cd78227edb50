"""Pages: access for every view, scope (ranks stay global), query counts, export, manual
scores, recompute, dashboard and home panel."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from biaoshuai.assessment.models import ManualScore, ScorePeriod, ScoreSnapshot
from biaoshuai.assessment.periods import campaign_months, month_period
from biaoshuai.assessment.services import score_period_compute
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.org.models import Unit
from biaoshuai.org.services import unit_create

from .test_scoring import dataset

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


def test_ranking_access(client, users, computed):
    url = reverse("assessment:ranking")
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.secadmin: 404,  # 三员分立: no business page
            users.cadre_lishi: 403,
            users.liaison_lishi: 200,
            users.office: 200,
            users.leader: 200,
            users.sysadmin: 404,
        },
    )


def test_ranking_shows_global_ranks_in_scope(client, users, computed):
    login(client, users.liaison_zengji)
    response = client.get(reverse("assessment:ranking"))
    rows = list(response.context["page"].object_list)
    assert [(r.unit.name, r.rank, r.total) for r in rows] == [("曾集镇", 3, Decimal("67.22"))]
    login(client, users.office)
    response = client.get(reverse("assessment:ranking"), {"sort": "-total"})
    assert [r.unit.name for r in response.context["page"].object_list] == [
        "李市镇", "新河镇", "曾集镇", "白庙乡"
    ]  # fmt: skip
    response = client.get(reverse("assessment:ranking"), {"sort": "total"})
    assert response.context["page"].object_list[0].unit.name == "白庙乡"
    response = client.get(reverse("assessment:ranking"), {"q": "新河"})
    assert [r.unit.name for r in response.context["page"].object_list] == ["新河镇"]
    response = client.get(reverse("assessment:ranking"), headers={"HX-Request": "true"})
    assert b"<html" not in response.content and "李市镇" in response.content.decode()


def test_ranking_of_a_period_not_computed(client, users, computed, this_month):
    login(client, users.office)
    response = client.get(reverse("assessment:ranking"), {"period": "year", "year": "2020"})
    assert response.status_code == 200 and response.context["stored"] is None
    assert "Recompute" in response.content.decode() or "重新计算" in response.content.decode()


def test_ranking_query_count(client, org, users, computed, campaign, this_month):
    login(client, users.office)

    def add_rows():
        for index in range(5):
            unit_create(
                by=None, name=f"新增镇{index}", kind=Unit.Kind.TOWNSHIP, parent=org.department
            )
        score_period_compute(
            campaign=campaign, period_start=this_month.start, period_end=this_month.end
        )

    assert_constant_queries(client, reverse("assessment:ranking"), add_rows, expected=8)


def test_unit_detail_access_and_scope(client, org, users, computed):
    url = reverse("assessment:unit_detail", args=[org.lishi.pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 200,
            users.office: 200,
            users.leader: 200,
        },
    )
    login(client, users.liaison_lishi)
    assert client.get(reverse("assessment:unit_detail", args=[999999])).status_code == 404


def test_unit_detail_shows_how_each_score_was_computed(client, org, users, computed):
    login(client, users.liaison_lishi)
    response = client.get(reverse("assessment:unit_detail", args=[org.lishi.pk]))
    row = response.context["row"]
    assert (row.total, row.rank) == (Decimal("90.00"), 1)
    page = response.content.decode()
    assert 'data-metric="publicity.points"' in page and "40 ÷ 最优单位的 40" in page
    assert "<code>publicity.points</code>" not in page  # labels, not codes
    assert "90.00" in page
    # The records behind a figure, filtered to the unit; the manual scores for the office.
    assert f"{reverse('core:home')}?unit={org.lishi.pk}" in page
    assert reverse("assessment:manual_scores") not in page
    login(client, users.office)
    page = client.get(reverse("assessment:unit_detail", args=[org.lishi.pk])).content.decode()
    assert f"{reverse('assessment:manual_scores')}?unit={org.lishi.pk}" in page
    login(client, users.liaison_lishi)
    # A sub-unit in scope is not assessed: 200 with a note.
    response = client.get(reverse("assessment:unit_detail", args=[org.lishi_sub.pk]))
    assert response.status_code == 200 and response.context["row"] is None


def test_export(client, users, computed):
    url = reverse("assessment:ranking_export")
    assert_access(
        client, url, {ANONYMOUS: 302, users.norole: 403, users.cadre_lishi: 403, users.office: 200}
    )
    login(client, users.liaison_lishi)
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[2][:3] == (1, "李市镇", 90.0)
    assert len(values) == 3  # title, header, the liaison's one unit
    login(client, users.office)
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in list(sheet.values)[2:]] == ["李市镇", "新河镇", "曾集镇", "白庙乡"]


def test_recompute(
    client, org, users, computed, metrics, this_month, django_capture_on_commit_callbacks
):
    url = reverse("assessment:recompute")
    data = {"period": "month", "month": f"{this_month.start:%Y-%m}"}
    assert_access(
        client,
        url,
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403, users.office: 302},
        method="post",
        data=data,
    )
    metrics.values["study.completion_rate"][org.lishi.pk] = 0
    login(client, users.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "next": reverse("assessment:dashboard")})
    assert response.url.startswith(reverse("assessment:dashboard"))
    snapshot = ScoreSnapshot.objects.get(unit=org.lishi, period__period_start=this_month.start)
    assert snapshot.total == Decimal("67.78")
    response = client.post(url, {**data, "next": "https://elsewhere.example/"})
    assert response.url.startswith(reverse("assessment:ranking"))


def test_manual_scores_access(client, users, campaign, org):
    url = reverse("assessment:manual_scores")
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.liaison_lishi: 403,
            users.leader: 403,
            users.cadre_lishi: 403,
            users.office: 200,
        },
    )


def test_manual_scores_entry(
    client, org, towns, users, computed, this_month, django_capture_on_commit_callbacks
):
    login(client, users.office)
    url = f"{reverse('assessment:manual_scores')}?indicator=leadership&period=month&month={this_month.start:%Y-%m}"
    response = client.get(url)
    assert [u.name for u, _s, _f in response.context["forms"]] == [
        "李市镇", "曾集镇", "新河镇", "白庙乡"
    ]  # fmt: skip
    prefix = {u.name: f"u{u.pk}" for u, _s, _f in response.context["forms"]}
    one = client.get(f"{url}&unit={org.zengji.pk}").context["forms"]
    assert [u.name for u, _s, _f in one] == ["曾集镇"]
    # A bad score: nothing saved, the input kept, the row marked.
    bad = {f"{prefix['新河镇']}-value": "150", f"{prefix['白庙乡']}-value": "70"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "0" in response.content.decode() and 'value="150"' in response.content.decode()
    assert not ManualScore.objects.filter(unit=towns["baimiao"]).exists()
    good = {
        f"{prefix['新河镇']}-value": "100",
        f"{prefix['新河镇']}-note": "领导重视，机构健全",
        f"{prefix['白庙乡']}-value": "70",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, good)
    assert response.status_code == 302
    assert ManualScore.objects.get(unit=towns["xinhe"]).note == "领导重视，机构健全"
    assert ManualScore.objects.get(unit=towns["baimiao"]).entered_by == users.office
    # The period was computed before, so it was recomputed with the new scores.
    snapshot = ScoreSnapshot.objects.get(unit=towns["xinhe"], period=computed)
    assert snapshot.total == Decimal("71.12")


def test_manual_scores_query_count(client, org, users, computed, campaign, this_month):
    login(client, users.office)
    url = f"{reverse('assessment:manual_scores')}?indicator=leadership&period=month&month={this_month.start:%Y-%m}"

    def add_rows():
        for index in range(5):
            unit = unit_create(
                by=None, name=f"新增镇{index}", kind=Unit.Kind.TOWNSHIP, parent=org.department
            )
            ManualScore.objects.create(
                campaign=campaign, unit=unit, indicator="leadership", value=50,
                period_start=this_month.start, period_end=this_month.end,
            )  # fmt: skip

    assert_constant_queries(client, url, add_rows, expected=7)


def test_dashboard_access(client, users, computed):
    url = reverse("assessment:dashboard")
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 403,
            users.sysadmin: 404,  # 三员分立: no business page
            users.office: 200,
            users.leader: 200,
        },
    )


def test_dashboard_figures(client, org, towns, users, computed, metrics, campaign):
    metrics.add(
        "rectification.close_rate",
        metrics.values["rectification.close_rate"],
        url_name="assessment:ranking",
        breakdown=lambda *, user, campaign: {"整改中": 3, "已销号": 5},
    )
    metrics.add(
        "supervision.overdue",
        {org.department.pk: 4, org.lishi.pk: 0, org.zengji.pk: 3, towns["xinhe"].pk: 1},
        kind="count",
        url_name="assessment:ranking",
    )
    computed = score_period_compute(  # the warnings are stored with the scores
        campaign=campaign, period_start=computed.period_start, period_end=computed.period_end
    )
    assert computed.summary["warnings"] == {
        "supervision.overdue": {"total": 4, "units": [[org.zengji.pk, 3], [towns["xinhe"].pk, 1]]}
    }
    login(client, users.leader)
    response = client.get(reverse("assessment:dashboard"))
    charts = response.context["charts"]
    assert charts["ranking"]["units"] == ["李市镇", "新河镇", "曾集镇", "白庙乡"]
    assert charts["ranking"]["totals"] == [90.0, 67.5, 67.22, 37.51]
    assert charts["trend"]["mean"] == [65.56]
    assert charts["breakdowns"][0]["data"] == [
        {"name": "整改中", "value": 3}, {"name": "已销号", "value": 5}
    ]  # fmt: skip
    warning = response.context["warnings"][0]
    assert warning["total"] == 4
    assert [(u.name, v) for u, v in warning["units"]] == [("曾集镇", 3), ("新河镇", 1)]
    assert [r.unit.name for r in response.context["low"]] == ["白庙乡"]
    page = response.content.decode()
    assert 'id="dashboard-charts"' in page and "echarts.min.js" in page
    assert f"{reverse('assessment:ranking')}?unit={org.zengji.pk}" in page


def test_dashboard_query_count(client, org, users, computed, campaign, this_month, metrics):
    metrics.add("supervision.overdue", {org.zengji.pk: 3}, kind="count")
    score_period_compute(
        campaign=campaign, period_start=this_month.start, period_end=this_month.end
    )
    login(client, users.office)

    def add_rows():
        for index in range(5):
            unit_create(
                by=None, name=f"新增镇{index}", kind=Unit.Kind.TOWNSHIP, parent=org.department
            )
        score_period_compute(
            campaign=campaign, period_start=this_month.start, period_end=this_month.end
        )
        earlier = campaign_months(campaign)[0]
        score_period_compute(campaign=campaign, period_start=earlier.start, period_end=earlier.end)

    assert_constant_queries(client, reverse("assessment:dashboard"), add_rows, expected=16)


def test_home_panel(client, users, computed):
    login(client, users.leader)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="assessment-panel"' in page and "李市镇" in page and "90.00" in page
    login(client, users.liaison_zengji)
    response = client.get(reverse("core:home"))
    page = response.content.decode()
    assert 'id="assessment-panel"' in page and "67.22" in page and "李市镇" not in page
    for user in (users.cadre_lishi, users.norole, users.sysadmin, users.office):
        login(client, user)
        assert client.get(reverse("core:home")).status_code == 200


def test_home_panel_without_scores(client, users, campaign):
    login(client, users.office)
    assert 'id="assessment-panel"' not in client.get(reverse("core:home")).content.decode()


def test_compute_command(org, towns, metrics, campaign):
    out = io.StringIO()
    call_command("assessment_compute", "--all-months", stdout=out)
    months = campaign_months(campaign)
    assert ScorePeriod.objects.filter(campaign=campaign).count() == len(months) == 4
    assert ScoreSnapshot.objects.count() == 4 * 4
    call_command("assessment_compute", "--period", "quarter", "--quarter", "2026-1", stdout=out)
    assert ScorePeriod.objects.filter(period_start="2026-01-01", period_end="2026-03-31").exists()
    assert "units" in out.getvalue()
