from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .permissions import has_system_role
from .registry import registry


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
    """The registered metrics' figures within the user's scope, each linking to its records."""
    figures = []
    for metric in registry.home_metrics(request):
        value = metric.total(user=request.user, campaign=None)
        if value is not None:
            figures.append({"metric": metric, "value": value})
    return {"figures": figures} if figures else None


def _own_job(request, pk):
    """The user's own export job, still kept; 404 for anyone else's (as if it did not exist)."""
    from .models import ExportJob

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
    from .exports import export_file_response

    job = _own_job(request, pk)
    if job.state != job.State.DONE or not job.path:
        raise Http404
    return export_file_response(job)
