from urllib.parse import urlencode

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.services import campaign_choose
from biaoshuai.core import campaign as active_campaign
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import can_view_org, for_system_roles, user_passes

from . import selectors, services
from .forms import PreferencesForm


@for_system_roles
def signed_in(user):
    """Every account has an inbox of its own."""
    return user.is_authenticated


@never_cache
@user_passes(signed_in)
@require_GET
def unread(request):
    """The bell: the badge for HTMX, {"unread": N} otherwise. Polling it does not count as
    activity: the session's idle timeout runs on (see core/sessions.py)."""
    request.session_passive = True
    count = selectors.unread_count(user=request.user)
    if request.htmx:
        return render(request, "notifications/badge.html", {"unread": count})
    return JsonResponse({"unread": count})


@user_passes(signed_in)
@require_GET
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    kinds = {spec.key: spec for spec in selectors.kinds()}
    kind = request.GET.get("kind", "")
    if kind not in kinds:
        kind = ""
    page = paginate(request, selectors.inbox_for(user=request.user, unread=unread_only, kind=kind))
    query = urlencode(
        {k: v for k, v in {"unread": "1" if unread_only else "", "kind": kind}.items() if v}
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "kinds": list(kinds.values()),
            "labels": {key: spec.label for key, spec in kinds.items()},
            "kind": kind,
            "unread_only": unread_only,
            "query": query,
            "elsewhere": _unread_elsewhere(request),
        },
    )


@user_passes(signed_in)
@require_POST
def open_notification(request, pk):
    """Mark the notice read and go to its record, in the notice's campaign: the user then
    works in that campaign (as after choosing it in the top bar)."""
    notice = selectors.notification_for(user=request.user, pk=pk)
    services.notification_mark_read(notification=notice, by=request.user)
    if notice.campaign_id and notice.campaign_id != active_campaign.active_id():
        if can_view_org(request.user):
            campaign_choose(user=request.user, campaign=notice.campaign)
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notifications:inbox")


@user_passes(signed_in)
@require_POST
def mark_read(request, pk):
    notice = selectors.notification_for(user=request.user, pk=pk)
    services.notification_mark_read(notification=notice, by=request.user)
    return redirect(_back(request))


@user_passes(signed_in)
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notices marked as read.") % {"count": count})
    return redirect(_back(request))


@user_passes(signed_in)
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = selectors.preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _unread_elsewhere(request):
    """The unread notices of the other campaigns, when there are other campaigns (the
    request has loaded them already)."""
    campaigns = getattr(request, "campaigns", None)
    if campaigns is None or len(campaigns.all) < 2:
        return []
    return selectors.unread_elsewhere(user=request.user)


def _back(request):
    target = request.POST.get("next", "")
    if target.startswith("/notifications/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts=None
    ):
        return target
    return "notifications:inbox"
