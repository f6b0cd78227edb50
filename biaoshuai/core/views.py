from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import campaign as active_campaign
from .exports import export_file_response
from .figures import figure_tiles
from .models import ExportJob
from .permissions import has_system_role
from .registry import WORK_BUCKETS, WORK_ICONS, registry


@login_required
@require_GET
def home(request):
    """Each registered panel decides what this user sees; the figures are within their scope.

    The three system roles see only the panels marked `for_system_roles` (三员分立).
    """
    system = has_system_role(request.user)
    panels = []
    for panel in registry.home_panels_for(request):
        if system and not getattr(panel.context, "for_system_roles", False):
            continue
        context = panel.context(request)
        if context is not None:
            panels.append((panel.template_name, context))
    return render(request, "core/home.html", {"panels": panels})


def figures_panel(request):
    """The registered metrics' figures within the user's scope as of today, each with its
    change since last month and the template's target, linking to its records."""
    campaign = active_campaign.active()
    tiles = figure_tiles(
        user=request.user, campaign=campaign, metrics=registry.home_metrics(request)
    )
    if not tiles:
        return None
    return {"figures": tiles, "period": tiles[0]["figure"].period}


def work_panel(request):
    """The work queue, first on the home page: the lines with records waiting for the
    user, each linking to its filtered list; the lines with none are named below them."""
    lines = registry.work_for(request)
    if not lines:
        return None
    return {
        "waiting": [
            {
                "item": item,
                "count": count,
                "bucket": WORK_BUCKETS[item.bucket],
                "icon": WORK_ICONS[item.bucket],
            }
            for item, count in lines
            if count
        ],
        "clear": [item for item, count in lines if not count],
    }


@never_cache
@login_required
@require_GET
def work_badges(request):
    """The navigation's badges, fetched by the menu after the page loads (so no page pays
    for them): out-of-band badges for HTMX, {"badges": {nav key: n}, "total": n} otherwise.
    Fetching them does not count as activity for the session's idle timeout."""
    request.session_passive = True
    badges = registry.nav_badges(request)
    groups = {}
    for key, count in badges.items():
        item = registry.nav_items.get(key)
        if item is not None and item.group:
            groups[item.group] = groups.get(item.group, 0) + count
    total = sum(badges.values())
    if request.htmx:
        context = {"badges": badges, "groups": groups, "total": total}
        return render(request, "core/work_badges.html", context)
    return JsonResponse({"badges": badges, "total": total})
    """The registered metrics' figures within the user's scope, each linking to its records."""
    figures = []
    for metric in registry.home_metrics(request):
        value = metric.total(user=request.user, campaign=None)
        if value is not None:
            figures.append({"metric": metric, "value": value})
    return {"figures": figures} if figures else None


def _own_job(request, pk):
    """The user's own export job, still kept; 404 for anyone else's (as if it did not exist)."""
    job = ExportJob.objects.filter(pk=pk, owner=request.user, expires_at__gt=timezone.now()).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def export_job(request, pk):
    """A large export's progress; polled by HTMX every second until it is done or failed."""
    job = _own_job(request, pk)
    template = "core/export_job.html#progress" if request.htmx else "core/export_job.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def export_download(request, pk):
    job = _own_job(request, pk)
    if job.state != job.State.DONE or not job.path:
        raise Http404
    return export_file_response(job)
