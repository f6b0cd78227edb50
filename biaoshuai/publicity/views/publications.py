"""Publicity records: list, record, edit, confirm or reject, export, leaderboards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current_required
from biaoshuai.core.figures import FigurePeriod
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import can_view_org, is_office, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404

from .. import exports, selectors, services
from ..forms import PeriodForm, PublicationFilterForm, PublicationForm, ReasonForm
from ..models import Publication
from .common import can_manage, can_write, cleaned, query_without_page

LEADERBOARD_PER_PAGE = 50
CONFIRMED = gettext_lazy("The publication is confirmed.")
REJECTED = gettext_lazy("The publication is not accepted; whoever recorded it sees your reason.")


@user_passes(can_view_org)
@require_GET
def publication_list(request):
    campaign = _campaign()
    form, records = _filtered(request, campaign)
    context = {
        "form": form,
        "page": paginate(request, records),
        "query": query_without_page(request),
        "can_write": can_write(request.user),
        "is_office": is_office(request.user),
        "names": _names(campaign),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "publicity/publication_list.html#table", context)
    return render(request, "publicity/publication_list.html", context)


@user_passes(can_view_org)
@require_GET
def publication_export(request):
    campaign = _campaign()
    _form, records = _filtered(request, campaign)
    return exports.publications_xlsx(records=records, campaign=campaign)


@user_passes(can_view_org)
@require_GET
def publication_detail(request, pk):
    record = get_scoped_or_404(_detail_queryset(), request.user, VIEW, pk=pk)
    return render(
        request,
        "publicity/publication_detail.html",
        {
            "record": record,
            "names": _names(record.campaign),
            "can_manage": can_manage(request.user, record),
            "is_office": is_office(request.user),
            "reason_form": ReasonForm(),
        },
    )


@user_passes(can_write)
@require_http_methods(["GET", "POST"])
def publication_create(request):
    campaign = _campaign()
    form = PublicationForm(
        request.POST or None, request.FILES or None, user=request.user, campaign=campaign
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.publication_record(
                campaign=campaign,
                unit=data["unit"],
                by=request.user,
                title=data["title"],
                appearances=data["appearances"],
                authors=list(data["authors"]),
                authors_text=data["authors_text"],
                proof=data.get("proof"),
                link=data["link"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Recorded. It scores once the campaign office confirms it.")
            )
            return redirect("publicity:publication_detail", pk=record.pk)
    return render(request, "publicity/publication_form.html", {"form": form, "record": None})


@user_passes(can_write)
@require_http_methods(["GET", "POST"])
def publication_edit(request, pk):
    record = get_scoped_or_404(_detail_queryset(), request.user, MANAGE, pk=pk)
    if record.state == Publication.State.CONFIRMED:
        messages.error(request, str(services.PUBLICATION_NOT_EDITABLE))
        return redirect("publicity:publication_detail", pk=record.pk)
    form = PublicationForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        campaign=record.campaign,
        initial=PublicationForm.initial_for(record),
    )
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publication_update(
                publication=record,
                by=request.user,
                title=data["title"],
                authors_text=data["authors_text"],
                link=data["link"],
                appearances=data["appearances"],
                authors=list(data["authors"]),
                proof=data.get("proof"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicity:publication_detail", pk=record.pk)
    return render(request, "publicity/publication_form.html", {"form": form, "record": record})


@user_passes(is_office)
@require_POST
def publication_confirm(request, pk):
    record = get_object_or_404(Publication, pk=pk)
    _apply(request, services.publication_confirm, CONFIRMED, publication=record, by=request.user)
    return redirect("publicity:publication_detail", pk=record.pk)


@user_passes(is_office)
@require_POST
def publication_reject(request, pk):
    record = get_object_or_404(Publication, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _apply(
        request,
        services.publication_reject,
        REJECTED,
        publication=record,
        by=request.user,
        reason=reason,
    )
    return redirect("publicity:publication_detail", pk=record.pk)


@user_passes(can_view_org)
@require_GET
def leaderboard(request):
    campaign = _campaign()
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    units = selectors.leaderboard_units(user=request.user, campaign=campaign, period=period)
    people = selectors.leaderboard_people(user=request.user, campaign=campaign, period=period)
    context = {
        "form": form,
        "period": period,
        "units": units,
        "silent": [row[0] for row in units if row[2] == 0],
        "campaign_id": campaign.pk,
        "figure_period": FigurePeriod(end=period.end, start=period.start),
        "people": paginate(request, people, per_page=LEADERBOARD_PER_PAGE),
        "query": query_without_page(request),
    }
    return render(request, "publicity/leaderboard.html", context)


def _campaign():
    return campaign_current_required()


def _filtered(request, campaign):
    form = PublicationFilterForm(request.GET or None, user=request.user)
    filters = cleaned(form)
    records = selectors.publication_list(
        user=request.user,
        campaign=campaign,
        state=filters.get("state") or "",
        unit=filters.get("unit"),
        q=filters.get("q") or "",
    )
    return form, records


def _detail_queryset():
    return Publication.objects.select_related(
        "unit", "campaign", "recorded_by", "confirmed_by"
    ).prefetch_related("appearances", "authors")


def _names(campaign):
    return {
        "media": dict(campaign.choices("publication_media")),
        "levels": dict(campaign.choices("publication_levels")),
    }


def _apply(request, service, done, **kwargs):
    """Run a transition; say what happened, or why it did not."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
