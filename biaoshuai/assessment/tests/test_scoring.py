"""Scores on a fixed dataset with known results; ranking ties; manual scores; missing data."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from biaoshuai.assessment import scoring
from biaoshuai.assessment.models import ScorePeriod, ScoreSnapshot
from biaoshuai.assessment.periods import month_period
from biaoshuai.assessment.selectors import assessment_ranking
from biaoshuai.assessment.services import manual_score_set, score_period_compute

pytestmark = pytest.mark.django_db

JAN = month_period(datetime.date(2026, 1, 15))
FEB = month_period(datetime.date(2026, 2, 1))


def dataset(org, towns, metrics, campaign, users, period=JAN):
    lishi, zengji, xinhe, baimiao = (
        org.lishi.pk,
        org.zengji.pk,
        towns["xinhe"].pk,
        towns["baimiao"].pk,
    )
    metrics.add(
        "study.completion_rate",
        {lishi: 100, zengji: 50, xinhe: 80, baimiao: None},
        url_name="core:home",
    )
    metrics.add("opinions.reply_rate", {lishi: 90, zengji: 90, xinhe: 60, baimiao: 0})
    # appraisal.self_check_rate is not registered: 0 points, "no data".
    metrics.add("rectification.close_rate", {lishi: 75, zengji: 50, xinhe: 100, baimiao: 20})
    metrics.add(
        "supervision.on_time_rate",
        {lishi: 100, zengji: 100, xinhe: 50, baimiao: 100},
        periodic=True,
    )
    metrics.add("publicity.points", {lishi: 40, zengji: 20, xinhe: 0, baimiao: 10}, kind="count")
    metrics.add(
        "surveys.satisfaction_index", {lishi: 80, zengji: 85, xinhe: 70, baimiao: 60}, kind="index"
    )
    for unit, value in [(org.lishi, 90), (org.zengji, 80)]:
        manual_score_set(
            campaign=campaign,
            unit=unit,
            indicator="leadership",
            period_start=period.start,
            period_end=period.end,
            value=value,
            by=users.office,
        )


def by_name(rows):
    return {row.unit.name: row for row in rows}


def test_known_scores(org, towns, metrics, campaign, users):
    dataset(org, towns, metrics, campaign, users)
    rows = assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    # An indicator without a value is left out (不参评) and the weights renormalised:
    # 李市镇 earned 81 of the 90 points its rated indicators weigh, so 90.00.
    assert [(r.unit.name, r.total, r.rank) for r in rows] == [
        ("李市镇", Decimal("90.00"), 1),
        ("新河镇", Decimal("67.50"), 2),
        ("曾集镇", Decimal("67.22"), 3),
        ("白庙乡", Decimal("37.51"), 4),
    ]
    lishi = {i.key: i for i in by_name(rows)["李市镇"].indicators}
    assert [i.key for i in by_name(rows)["李市镇"].indicators] == [
        "leadership", "study", "opinions", "self_check", "rectification", "supervision",
        "publicity", "satisfaction",
    ]  # fmt: skip
    assert (lishi["leadership"].source, lishi["leadership"].value) == ("manual", 90.0)
    assert lishi["leadership"].score == Decimal("10.00")
    assert (lishi["study"].source, lishi["study"].weight, lishi["study"].score) == (
        "metric", 20.0, Decimal("22.22")
    )  # fmt: skip
    assert lishi["publicity"].value == 40 and lishi["publicity"].score == Decimal("11.11")
    assert lishi["self_check"].score == 0 and lishi["self_check"].value is None
    assert lishi["self_check"].excluded and lishi["self_check"].share == 0
    assert lishi["self_check"].note == scoring.NOT_REGISTERED
    with translation.override("en"):
        assert "not rated" in lishi["self_check"].note_text
        assert "40 ÷ 40" in lishi["publicity"].formula
    assert "不参评" in lishi["self_check"].note_text
    zengji = {i.key: i for i in by_name(rows)["曾集镇"].indicators}
    assert zengji["publicity"].score == Decimal("5.56")  # 20 ÷ 40, the best unit's, × 10/90
    baimiao = {i.key: i for i in by_name(rows)["白庙乡"].indicators}
    assert baimiao["study"].note == scoring.NO_DATA and baimiao["study"].score == 0
    assert baimiao["leadership"].note == scoring.NOT_ENTERED
    # Only the metric that takes a period is given it.
    assert ("supervision.on_time_rate", JAN.start, JAN.end) in metrics.calls
    assert ("study.completion_rate", None, None) in metrics.calls


def test_points_add_up_to_the_total(org, towns, metrics, campaign, users):
    dataset(org, towns, metrics, campaign, users)
    for row in assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end):
        assert sum(i.score for i in row.indicators) == row.total
        assert 0 <= row.total <= 100


def test_ties_share_a_rank(org, towns, metrics, campaign, users):
    for unit, value in [
        (org.lishi, 50), (org.zengji, 80), (towns["xinhe"], 80), (towns["baimiao"], 50)
    ]:  # fmt: skip
        manual_score_set(
            campaign=campaign, unit=unit, indicator="leadership", period_start=JAN.start,
            period_end=JAN.end, value=value, by=users.office,
        )  # fmt: skip
    rows = assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    assert [(r.total, r.rank) for r in rows] == [
        (Decimal("80.00"), 1),
        (Decimal("80.00"), 1),
        (Decimal("50.00"), 3),
        (Decimal("50.00"), 3),
    ]  # fmt: skip  (the only rated indicator carries the whole weight)
    assert {rows[0].unit.name, rows[1].unit.name} == {"曾集镇", "新河镇"}


def test_competition_ranking():
    unit = lambda path: type("U", (), {"path": path})()  # noqa: E731
    rows = [
        scoring.RankingRow(unit=unit(p), total=Decimal(t))
        for p, t in [("1", "90"), ("2", "80"), ("3", "80"), ("4", "70"), ("5", "70"), ("6", "1")]
    ]
    assert [r.rank for r in scoring.rank_rows(rows)] == [1, 2, 2, 4, 4, 6]


def test_nothing_registered_gives_zero_without_crashing(org, towns, metrics, campaign):
    rows = assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    assert len(rows) == 4
    assert all(r.total == 0 and r.rank == 1 for r in rows)
    assert all(i.note for r in rows for i in r.indicators)


def test_a_failing_metric_scores_zero(org, towns, metrics, campaign):
    metrics.add("study.completion_rate", {org.lishi.pk: 100})
    metrics.values["study.completion_rate"] = None  # by_unit raises
    rows = assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    study = rows[0].indicators[1]
    assert (study.key, study.score, study.note) == ("study", 0, scoring.FAILED)


def test_manual_score_holds_until_replaced(org, towns, metrics, campaign, users):
    manual_score_set(
        campaign=campaign, unit=org.lishi, indicator="leadership", period_start=JAN.start,
        period_end=JAN.end, value=60, by=users.office,
    )  # fmt: skip
    feb = by_name(assessment_ranking(campaign=campaign, period_start=FEB.start, period_end=FEB.end))
    assert feb["李市镇"].total == Decimal("60.00")
    manual_score_set(
        campaign=campaign, unit=org.lishi, indicator="leadership", period_start=FEB.start,
        period_end=FEB.end, value=100, note="领导重视", by=users.office,
    )  # fmt: skip
    feb = by_name(assessment_ranking(campaign=campaign, period_start=FEB.start, period_end=FEB.end))
    jan = by_name(assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end))
    assert feb["李市镇"].total == Decimal("100.00")
    assert feb["李市镇"].indicators[0].note == "领导重视"
    assert jan["李市镇"].total == Decimal("60.00")  # a later score does not reach back


def test_manual_score_is_validated(org, campaign, users):
    from django.core.exceptions import ValidationError

    from biaoshuai.assessment.services import NOT_MANUAL, UNIT_NOT_PARTICIPATING

    with pytest.raises(ValidationError) as error:
        manual_score_set(
            campaign=campaign, unit=org.lishi, indicator="study", period_start=JAN.start,
            period_end=JAN.end, value=60, by=users.office,
        )  # fmt: skip
    assert str(NOT_MANUAL) in str(error.value)
    with pytest.raises(ValidationError) as error:
        manual_score_set(
            campaign=campaign, unit=org.lishi_sub, indicator="leadership", period_start=JAN.start,
            period_end=JAN.end, value=60, by=users.office,
        )  # fmt: skip
    assert str(UNIT_NOT_PARTICIPATING) in str(error.value)
    with pytest.raises(ValidationError):
        manual_score_set(
            campaign=campaign, unit=org.lishi, indicator="leadership", period_start=JAN.start,
            period_end=JAN.end, value=101, by=users.office,
        )  # fmt: skip


def test_lower_is_better_and_scales(org, towns, metrics, campaign):
    lishi, zengji, xinhe = org.lishi.pk, org.zengji.pk, towns["xinhe"].pk
    campaign.config["lists"]["assessment_indicators"] = [
        {"key": "overdue", "name": "逾期", "weight": 50, "metric": "x.overdue", "direction": "lower"},
        {"key": "late", "name": "迟报率", "weight": 30, "metric": "x.late", "direction": "lower"},
        {"key": "points", "name": "得分", "weight": 20, "metric": "x.points", "scale": "percent"},
    ]  # fmt: skip
    campaign.save(update_fields=["config"])
    metrics.add("x.overdue", {lishi: 0, zengji: 4, xinhe: 1}, kind="count")
    metrics.add("x.late", {lishi: 10, zengji: 0, xinhe: 100}, kind="percent")
    metrics.add("x.points", {lishi: 150, zengji: 50, xinhe: -5}, kind="count")
    rows = by_name(
        assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    )
    # overdue: (1 − v ÷ 4) × 50; late: (100 − v) × 30%; points clamped to 0–100, × 20%.
    assert rows["李市镇"].total == Decimal("50.00") + Decimal("27.00") + Decimal("20.00")
    assert rows["曾集镇"].total == Decimal("0.00") + Decimal("30.00") + Decimal("10.00")
    assert rows["新河镇"].total == Decimal("37.50") + Decimal("0.00") + Decimal("0.00")
    with translation.override("en"):
        assert "(1 − 1 ÷ 4" in rows["新河镇"].indicators[0].formula
    # No unit has any overdue item: everyone gets the indicator's full points.
    metrics.values["x.overdue"] = {lishi: 0, zengji: 0, xinhe: 0}
    rows = by_name(
        assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    )
    assert rows["曾集镇"].indicators[0].score == Decimal("50.00")


def test_snapshot_is_read_back(org, towns, metrics, campaign, users):
    dataset(org, towns, metrics, campaign, users)
    period = score_period_compute(
        campaign=campaign, period_start=JAN.start, period_end=JAN.end, by=users.office
    )
    assert ScoreSnapshot.objects.filter(period=period).count() == 4
    assert period.summary["units"] == 4 and period.summary["mean"] == 65.56
    # Figures change; the stored ranking does not until recomputed.
    metrics.values["study.completion_rate"] = {}
    rows = assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    assert [(r.unit.name, r.total, r.rank) for r in rows][0] == ("李市镇", Decimal("90.00"), 1)
    assert rows[0].indicators[1].score == Decimal("22.22")
    assert rows[0].computed_at == period.computed_at
    score_period_compute(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    assert ScorePeriod.objects.count() == 1
    rows = assessment_ranking(campaign=campaign, period_start=JAN.start, period_end=JAN.end)
    # Without study figures, 李市镇 earned 61 of the 70 points its rated indicators weigh
    # (87.14; each indicator's points are rounded before they are added up).
    assert by_name(rows)["李市镇"].total == Decimal("87.16")


def test_participating_units(org, towns):
    names = set(scoring.participating_units().values_list("name", flat=True))
    assert names == {"李市镇", "曾集镇", "新河镇", "白庙乡"}  # not the root, not sub-units
