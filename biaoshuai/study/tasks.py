"""Background work for study: refreshing the completion figures."""

from django.core.cache import cache
from django_tasks import task

from biaoshuai.campaigns.models import Campaign


@task()
def study_completion_refresh_task(*, campaign_id):
    from .completion import study_completion_refresh
    from .services import REFRESH_PENDING_KEY

    # Cleared first, so a change made while this runs queues the next refresh.
    cache.delete(REFRESH_PENDING_KEY.format(campaign_id))
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return study_completion_refresh(campaign=campaign)
