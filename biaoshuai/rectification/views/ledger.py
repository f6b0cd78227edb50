from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.exports import export_or_task, task_threshold
from biaoshuai.core.permissions import user_passes
from biaoshuai.core.uploads import validate_upload

from .. import selectors, services
from ..forms import ImportForm, LedgerFilterForm
from ..ledger import COLUMNS, ledger_read, ledger_xlsx
from ..models import RectificationItem
from .common import can_manage, can_view, cleaned, current_campaign_or_404, query_string


def _filtered(request, campaign):
    form = LedgerFilterForm(request.GET or None, user=request.user, campaign=campaign)
    f = cleaned(form)
    if campaign is None:
        return form, f, RectificationItem.objects.none()
    items = selectors.ledger_items(
        user=request.user,
        campaign=campaign,
        unit=f.get("unit"),
        dimension=f.get("dimension") or "",
        state=f.get("state") or "",
        urgency=f.get("urgency") or "",
        q=f.get("q") or "",
    )
    return form, f, items


@user_passes(can_view)
@require_GET
def ledger(request):
    campaign = campaign_current()
    form, _f, items = _filtered(request, campaign)
    context = {
        "form": form,
        "page": selectors.ledger_page(items=items, number=request.GET.get("page")),
        "query": query_string(request),
        "today": timezone.localdate(),
        "dimensions": dict(campaign.choices("problem_dimensions")) if campaign else {},
        "kinds": dict(campaign.choices("rectification_kinds")) if campaign else {},
        "states": dict(RectificationItem.State.choices),
        "can_manage": campaign is not None and can_manage(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "rectification/ledger.html#table", context)
    return render(request, "rectification/ledger.html", context)


@user_passes(can_view)
@require_GET
def ledger_export(request):
    campaign = current_campaign_or_404()
    _form, f, items = _filtered(request, campaign)
    if request.GET.get("format") == "csv" or items.count() > task_threshold():
        return export_or_task(request, "rectification.ledger")  # a task, with progress
    rows = selectors.ledger_export_rows(items=items)
    return ledger_xlsx(rows=rows, campaign=campaign, unit=f.get("unit"))


@user_passes(can_manage)
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    campaign = current_campaign_or_404()
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload, extensions=["xlsx"])
        except Exception as exc:  # ValidationError: shown on the field
            form.add_error("file", exc)
        else:
            plan = ledger_read(file=upload, user=request.user, campaign=campaign)
            errors = plan.errors
            if plan.ok:
                problems, items = services.ledger_import(
                    by=request.user, campaign=campaign, plan=plan
                )
                messages.success(
                    request,
                    _("Imported %(items)s items (%(problems)s new problems).")
                    % {"items": items, "problems": problems},
                )
                return redirect("rectification:ledger")
    return render(
        request,
        "rectification/ledger_import.html",
        {"form": form, "errors": errors, "columns": [c for c, _w in COLUMNS]},
        status=400 if errors else 200,
    )
