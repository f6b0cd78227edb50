from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_campaign_user, user_passes

from .. import selectors, services
from ..models import Notice


def _signed_in(user):
    return is_campaign_user(user)


@user_passes(_signed_in)
@require_GET
def notice_list(request):
    page = paginate(request, selectors.notices_for(user=request.user))
    return render(request, "rectification/notice_list.html", {"page": page})


@user_passes(_signed_in)
@require_POST
def notice_read(request, pk):
    if pk == 0:
        services.notices_mark_all_read(user=request.user)
        return redirect("rectification:notice_list")
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    services.notice_mark_read(notice=notice, by=request.user)
    if notice.link.startswith("/"):
        return redirect(notice.link)
    return redirect("rectification:notice_list")
