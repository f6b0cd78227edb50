"""The public rectification board on the portal: only problems disclosed to the public."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.paginate import paginate

from .. import selectors
from ..models import Problem


@require_GET
def board(request):
    campaign = campaign_current()
    problems = selectors.board_problems(campaign=campaign) if campaign else Problem.objects.none()
    return render(
        request,
        "rectification/public/board.html",
        {
            "page": paginate(request, problems, per_page=10),
            "summary": selectors.board_summary(campaign=campaign) if campaign else None,
            "dimensions": dict(campaign.choices("problem_dimensions")) if campaign else {},
        },
    )
