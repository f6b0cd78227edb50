"""Writes for assessment: the office's manual scores, and storing computed scores."""

import datetime
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from biaoshuai.audit.services import audit_record
from biaoshuai.campaigns.models import Campaign

from .models import ManualScore, ScorePeriod, ScoreSnapshot
from .scoring import indicators_of, participating_units, scores_compute, warnings_compute

NOT_MANUAL = _("This indicator is not scored by hand.")
UNIT_NOT_PARTICIPATING = _("This unit does not take part in the assessment.")


@transaction.atomic
def manual_score_set(*, campaign, unit, indicator, period_start, period_end, value, note="", by):
    """Enter or change the office's score for a unit on a manual indicator and period."""
    if indicator not in {i.key for i in indicators_of(campaign) if i.manual}:
        raise ValidationError({"indicator": NOT_MANUAL})
    if not participating_units().filter(pk=unit.pk).exists():
        raise ValidationError({"unit": UNIT_NOT_PARTICIPATING})
    score = ManualScore.objects.filter(
        campaign=campaign,
        unit=unit,
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
    ).first()
    value = Decimal(str(value))
    if score is None:
        score = ManualScore(
            campaign=campaign,
            unit=unit,
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
            value=value,
            note=note,
            entered_by=by,
        )
        score.full_clean()
        score.save()
        audit_record(
            actor=by, action="create", obj=score, changes={"value": str(value), "note": note}
        )
        return score
    if score.value == value and score.note == note:
        return score
    changes = {"value": [str(score.value), str(value)], "note": [score.note, note]}
    score.value, score.note, score.entered_by = value, note, by
    score.full_clean()
    score.save(update_fields=["value", "note", "entered_by", "updated_at"])
    audit_record(actor=by, action="update", obj=score, changes=changes)
    return score


def score_period_compute(*, campaign, period_start, period_end, by=None, units=None):
    """Compute every participating unit's score for the period and store it (replacing the
    previous computation of that period). Returns the ScorePeriod.

    The figures are read first, outside the transaction; the write is all or nothing.
    """
    started = time.perf_counter()
    units = list(units if units is not None else participating_units())
    rows = scores_compute(
        campaign=campaign, period_start=period_start, period_end=period_end, units=units
    )
    warnings = warnings_compute(
        campaign=campaign,
        period_start=period_start,
        period_end=period_end,
        unit_ids=[u.pk for u in units],
    )
    seconds = time.perf_counter() - started
    return _store(campaign, period_start, period_end, rows, warnings, by, seconds)


@transaction.atomic
def _store(campaign, period_start, period_end, rows, warnings, by, seconds):
    now = timezone.now()
    period, created = ScorePeriod.objects.select_for_update().get_or_create(
        campaign=campaign,
        period_start=period_start,
        period_end=period_end,
        defaults={"computed_at": now, "computed_by": by, "seconds": seconds},
    )
    period.computed_at, period.computed_by, period.seconds = now, by, seconds
    period.stale_since = None
    period.summary = {**_summary(rows), "warnings": warnings}
    period.full_clean()
    period.save()
    period.snapshots.all().delete()
    ScoreSnapshot.objects.bulk_create(
        [
            ScoreSnapshot(
                period=period,
                campaign=campaign,
                period_start=period_start,
                period_end=period_end,
                unit=row.unit,
                total=row.total,
                rank=row.rank,
                computed_at=now,
                detail={
                    "indicators": [s.as_json() for s in row.indicators],
                    "points": {s.key: float(s.score) for s in row.indicators},
                },
            )
            for row in rows
        ],
        batch_size=500,
    )
    audit_record(
        actor=by,
        action="create" if created else "update",
        verb="assessment_compute",
        obj=period,
        changes={"units": len(rows), "seconds": round(seconds, 2)},
    )
    return period


def _summary(rows):
    if not rows:
        return {"units": 0, "mean": None, "indicators": {}}
    count = len(rows)
    keys = [s.key for s in rows[0].indicators]
    return {
        "units": count,
        "mean": round(sum(float(r.total) for r in rows) / count, 2),
        "indicators": {key: _rated_mean(rows, i) for i, key in enumerate(keys)},
        "no_data": {
            key: sum(1 for r in rows if r.indicators[i].value is None) for i, key in enumerate(keys)
        },
    }


@task()
def score_period_compute_task(*, campaign_id, period_start, period_end, user_id=None):
    """Compute and store every participating unit's score for the period (ISO dates): the
    queued form of `score_period_compute`."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    period = score_period_compute(
        campaign=campaign,
        period_start=datetime.date.fromisoformat(period_start),
        period_end=datetime.date.fromisoformat(period_end),
        by=by,
    )
    return period.pk


def _rated_mean(rows, index):
    """The mean percentage of the units rated on the indicator (None when none is)."""
    rated = [r.indicators[index].percent for r in rows if r.indicators[index].value is not None]
    return round(sum(rated) / len(rated), 2) if rated else None


def score_period_enqueue(*, campaign, period_start, period_end, by=None):
    """Queue the computation of the period's scores (after the current transaction)."""
    kwargs = {
        "campaign_id": campaign.pk,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "user_id": by.pk if by is not None else None,
    }
    transaction.on_commit(lambda: score_period_compute_task.enqueue(**kwargs))


@transaction.atomic
def manual_scores_save(*, campaign, indicator, period_start, period_end, entries, by):
    """Save a page of the office's scores: entries = [(unit, value, note)]; a unit whose
    value is None is left as it is. Recomputes the period if it was computed before.
    Returns the number of scores created or changed."""
    changed = 0
    for unit, value, note in entries:
        if value is None:
            continue
        before = (
            ManualScore.objects.filter(
                campaign=campaign,
                unit=unit,
                indicator=indicator,
                period_start=period_start,
                period_end=period_end,
            )
            .values_list("value", "note")
            .first()
        )
        if before is not None and before == (Decimal(str(value)), note):
            continue
        manual_score_set(
            campaign=campaign,
            unit=unit,
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
            value=value,
            note=note,
            by=by,
        )
        changed += 1
    computed = ScorePeriod.objects.filter(
        campaign=campaign, period_start=period_start, period_end=period_end
    ).exists()
    if changed and computed:
        score_period_enqueue(
            campaign=campaign, period_start=period_start, period_end=period_end, by=by
        )
    return changed


# Records of these apps do not feed the figures scores are computed from.
NOT_FIGURES = frozenset(
    {"assessment", "audit", "notifications", "ops", "accounts", "core", "sessions", "axes"}
)
RECOMPUTE_DELAY = datetime.timedelta(minutes=2)


def scores_mark_stale(*, campaign_id):
    """The records behind a campaign's scores changed: mark its computed periods stale and,
    the first time since they were computed, queue one recomputation a little later (so a
    burst of writes recomputes once). Returns the number of periods marked."""
    marked = ScorePeriod.objects.filter(campaign_id=campaign_id, stale_since__isnull=True).update(
        stale_since=timezone.now()
    )
    if marked:
        task = scores_recompute_task
        if task.get_backend().supports_defer:  # else (tests) it runs at once
            task = task.using(run_after=timezone.now() + RECOMPUTE_DELAY)
        task.enqueue(campaign_id=campaign_id)
    return marked


def scores_recompute_stale(*, campaign):
    """Recompute the campaign's stale periods. Returns how many were recomputed."""
    periods = list(
        ScorePeriod.objects.filter(campaign=campaign, stale_since__isnull=False).values_list(
            "period_start", "period_end"
        )
    )
    for period_start, period_end in periods:
        score_period_compute(campaign=campaign, period_start=period_start, period_end=period_end)
    return len(periods)


@task()
def scores_recompute_task(*, campaign_id):
    """Recompute the campaign's periods whose figures changed since they were computed: the
    queued form of `scores_recompute_stale`."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return scores_recompute_stale(campaign=campaign)


def records_changed(instances):
    """After writes commit: mark stale the scores of each campaign whose records that feed
    figures changed (once per campaign)."""
    campaigns = set()
    for instance in instances:
        if instance._meta.app_label not in NOT_FIGURES:
            campaigns.add(_campaign_id_of(instance))
    campaigns.discard(None)
    for campaign_id in sorted(campaigns):
        scores_mark_stale(campaign_id=campaign_id)


def _campaign_id_of(instance):
    path = getattr(type(instance), "campaign_field", "")
    if not path:
        return None
    *hops, last = path.split("__")
    target = instance
    try:
        for hop in hops:
            target = getattr(target, hop)
        return getattr(target, f"{last}_id", None)
    except Exception:  # a related record deleted with it
        return None
