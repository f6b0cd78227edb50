"""Background work for assessment: computing a period's scores into the snapshot."""

import datetime

from django.contrib.auth import get_user_model
from django_tasks import task

from biaoshuai.campaigns.models import Campaign


@task()
def score_period_compute_task(*, campaign_id, period_start, period_end, user_id=None):
    """Compute and store every participating unit's score for the period (ISO dates)."""
    from .services import score_period_compute

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


@task()
def scores_recompute_task(*, campaign_id):
    """Recompute the campaign's periods whose figures changed since they were computed."""
    from .services import scores_recompute_stale

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return scores_recompute_stale(campaign=campaign)
