"""API: the campaign and its phases (scope campaigns:read)."""

from django.utils import timezone
from ninja import Router

from biaoshuai.api import errors
from biaoshuai.api.common import ERRORS, Id, require_scope
from biaoshuai.core.permissions import can_view_org

from .models import Campaign
from .schemas import CampaignOut, CampaignSummaryOut
from .selectors import campaign_current, campaign_phases

router = Router(tags=["campaigns"])


def campaign_or_current(campaign_id=None):
    """The campaign named, else the one the request works in (`?campaign=`, else the latest
    campaign under way, else the current one)."""
    if campaign_id is not None:
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None:
            raise errors.not_found()
        return campaign
    campaign = campaign_current()
    if campaign is None:
        raise errors.ApiError(404, "no_campaign", errors.NO_CAMPAIGN)
    return campaign


@router.get(
    "",
    response={200: list[CampaignSummaryOut], **ERRORS},
    summary="Every campaign, newest first (their ids for ?campaign=)",
)
def campaign_list(request):
    require_scope(request, "campaigns:read", page=can_view_org)
    today = timezone.localdate()
    return [
        {
            "id": c.pk,
            "name": c.name,
            "short_name": c.short_name,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "is_current": c.is_current,
            "under_way": c.is_under_way(today),
        }
        for c in Campaign.objects.order_by("-starts_on", "-id")
    ]


@router.get("/current", response={200: CampaignOut, **ERRORS}, summary="The current campaign")
def campaign_current_detail(request):
    require_scope(request, "campaigns:read", page=can_view_org)
    return _campaign_out(campaign_or_current())


@router.get("/{campaign_id}", response={200: CampaignOut, **ERRORS}, summary="One campaign")
def campaign_detail(request, campaign_id: Id):
    require_scope(request, "campaigns:read", page=can_view_org)
    return _campaign_out(campaign_or_current(campaign_id))


def _campaign_out(campaign):
    phases = list(campaign_phases(campaign=campaign))
    today = timezone.localdate()
    current = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "short_name": campaign.short_name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "is_current": campaign.is_current,
        "current_phase": current.key if current else None,
        "phases": phases,
    }
