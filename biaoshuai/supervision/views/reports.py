from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_office, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for

from .. import selectors, services
from ..forms import ReportFilterForm, ReportForm, ReportReviewForm
from ..models import UnitReport, UnitReportAttachment
from ..periods import participating_units, period_for, period_start_parse, report_periods
from .common import (
    can_reply,
    can_view_supervision,
    cleaned,
    current_campaign,
    file_response,
    query_string,
    render_list,
)

# Periods shown in the table at once (the latest); older ones via ?all=1.
TABLE_PERIODS = 6
UNITS_PER_PAGE = 30


@user_passes(can_view_supervision)
@require_GET
def report_table(request):
    """Units × periods: 已报 / 迟报 / 未报 (red) / 待报."""
    campaign = current_campaign()
    periods = report_periods(campaign)
    shown = periods if request.GET.get("all") else periods[-TABLE_PERIODS:]
    units = paginate(request, selectors.report_units(user=request.user), per_page=UNITS_PER_PAGE)
    manages = scope_for(request.user, MANAGE)
    submits = can_reply(request.user)
    rows = [
        (unit, cells, submits and manages.covers(unit))
        for unit, cells in selectors.report_rows(
            campaign=campaign, units=units.object_list, periods=shown
        )
    ]
    context = {
        "campaign": campaign,
        "periods": shown,
        "more_periods": len(periods) > len(shown),
        "page": units,
        "rows": rows,
        "query": query_string(request),
    }
    return render_list(request, "supervision/report_table.html", context)


@user_passes(can_view_supervision)
@require_GET
def report_list(request):
    campaign = current_campaign()
    form = ReportFilterForm(request.GET or None, user=request.user)
    filters = cleaned(form)
    reports = selectors.reports_visible_to(
        user=request.user,
        campaign=campaign,
        state=filters.get("state") or "",
        unit=filters.get("unit"),
    )
    context = {"form": form, "page": paginate(request, reports), "query": query_string(request)}
    return render_list(request, "supervision/report_list.html", context)


@user_passes(can_reply)
@require_http_methods(["GET", "POST"])
def report_submit(request, unit_pk, period):
    campaign = current_campaign()
    unit = get_scoped_or_404(participating_units(), request.user, MANAGE, pk=unit_pk)
    start = period_start_parse(period)
    if start is None:
        raise Http404
    found = period_for(campaign, start)
    if found is None:
        raise Http404
    existing = UnitReport.objects.filter(
        campaign=campaign, unit=unit, period_start=found.start
    ).first()
    initial = {"text": existing.text} if existing else {}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.unit_report_submit(
                by=request.user,
                campaign=campaign,
                unit=unit,
                period_start=found.start,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Report submitted."))
            return redirect("supervision:report_detail", pk=report.pk)
    context = {
        "form": form,
        "unit": unit,
        "period": found,
        "existing": existing,
        "late": found.due_on < timezone.localdate(),
    }
    return render(request, "supervision/report_form.html", context)


@user_passes(can_view_supervision)
@require_GET
def report_detail(request, pk):
    report = selectors.report_detail(user=request.user, pk=pk)
    return render(request, "supervision/report_detail.html", _context(request, report))


@user_passes(is_office)
@require_POST
def report_review(request, pk):
    report = selectors.report_detail(user=request.user, pk=pk)
    form = ReportReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if request.POST.get("decision") == "return":
            services.unit_report_return(by=request.user, report=report, comment=comment)
            messages.success(request, _("Report returned to the unit."))
        else:
            services.unit_report_review(by=request.user, report=report, comment=comment)
            messages.success(request, _("Report marked as reviewed."))
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(
            request,
            "supervision/report_detail.html",
            _context(request, report, form=form),
            status=400,
        )
    return redirect("supervision:report_detail", pk=report.pk)


@user_passes(can_view_supervision)
@require_GET
def attachment_download(request, pk):
    attachment = get_scoped_or_404(UnitReportAttachment.objects.all(), request.user, VIEW, pk=pk)
    return file_response(attachment.file, attachment.name)


def _context(request, report, *, form=None):
    return {
        "report": report,
        "can_review": is_office(request.user) and report.state == UnitReport.State.SUBMITTED,
        "can_resubmit": can_reply(request.user)
        and report.state == UnitReport.State.RETURNED
        and scope_for(request.user, MANAGE).covers(report.unit),
        "form": form or ReportReviewForm(),
    }
