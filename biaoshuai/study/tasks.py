"""Background work for study: refreshing the completion figures."""

from django.core.cache import cache
from django_tasks import task

from biaoshuai.campaigns.models import Campaign

from .completion import study_completion_refresh

# Set while a refresh is queued, so the requests made meanwhile are merged into it.
REFRESH_PENDING_KEY = "study:completion-refresh:{}"


@task()
def study_completion_refresh_task(*, campaign_id):
    # Cleared first, so a change made while this runs queues the next refresh.
    cache.delete(REFRESH_PENDING_KEY.format(campaign_id))
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return study_completion_refresh(campaign=campaign)
