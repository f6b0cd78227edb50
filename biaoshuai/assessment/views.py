from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.exports import xlsx_response
from biaoshuai.core.figures import FigurePeriod, campaign_targets
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import (
    is_leading_group,
    is_liaison,
    is_office,
    user_passes,
)
from biaoshuai.core.scope import VIEW, get_scoped_or_404
from biaoshuai.org.models import Unit

from . import selectors, services
from .dashboard import dashboard_build
from .forms import ManualScoreRowForm
from .models import ScoreSnapshot
from .periods import KINDS, campaign_months, period_from_query, period_of
from .scoring import indicators_of

PER_PAGE = 50
MANUAL_PER_PAGE = 50
NO_CAMPAIGN = "assessment/no_campaign.html"


def can_view_assessment(user):
    """The office, the leading group and liaisons (their units' rows); no system role."""
    return is_office(user) or is_leading_group(user) or is_liaison(user)


def can_manage_assessment(user):
    return is_office(user)


def can_view_dashboard(user):
    return is_office(user) or is_leading_group(user)


@user_passes(can_view_assessment)
@require_GET
def ranking(request):
    campaign = campaign_current()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    period = _period(request, campaign)
    stored = selectors.score_period_get(
        campaign=campaign, period_start=period.start, period_end=period.end
    )
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    search = request.GET.get("q", "").strip()
    rows = (
        selectors.ranking_list(user=request.user, period=stored, sort=sort, search=search)
        if stored is not None
        else None
    )
    context = {
        **_picker(request, campaign, period),
        "stored": stored,
        "page": paginate(request, rows, PER_PAGE) if rows is not None else None,
        "sort": sort,
        "search": search,
        "indicators": indicators_of(campaign),
        "query": _query(request),
        "sort_query": _query(request, drop=("page", "sort")),
        "can_manage": can_manage_assessment(request.user),
    }
    template = "assessment/ranking.html"
    if request.htmx and not request.htmx.boosted:
        template += "#table"
    return render(request, template, context)


@user_passes(can_view_assessment)
@require_GET
def unit_detail(request, unit_id):
    unit = get_scoped_or_404(Unit.objects, request.user, VIEW, pk=unit_id)
    campaign = campaign_current()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    period = _period(request, campaign)
    stored = selectors.score_period_get(
        campaign=campaign, period_start=period.start, period_end=period.end
    )
    row = selectors.unit_score(period=stored, unit=unit) if stored is not None else None
    history = selectors.unit_history(campaign=campaign, unit=unit)
    context = {
        **_picker(request, campaign, period),
        "unit": unit,
        "stored": stored,
        "row": row,
        "figure_period": FigurePeriod(end=period.end, start=period.start),
        "can_manage": can_manage_assessment(request.user),
        "history": {
            "months": [f"{start:%Y-%m}" for start, _total, _rank in history],
            "totals": [float(total) for _start, total, _rank in history],
            "ranks": [rank for _start, _total, rank in history],
        },
    }
    return render(request, "assessment/unit_detail.html", context)


@user_passes(can_view_assessment)
@require_GET
def ranking_export(request):
    campaign = campaign_current()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    period = _period(request, campaign)
    stored = selectors.score_period_get(
        campaign=campaign, period_start=period.start, period_end=period.end
    )
    indicators = indicators_of(campaign)
    rows = (
        selectors.ranking_list(user=request.user, period=stored)
        if stored is not None
        else ScoreSnapshot.objects.none()
    )

    def lines():
        for snapshot in rows.iterator(chunk_size=500):
            points = (snapshot.detail or {}).get("points", {})
            yield [
                snapshot.rank,
                snapshot.unit.name,
                float(snapshot.total),
                *[points.get(i.key) for i in indicators],
                snapshot.computed_at.strftime("%Y-%m-%d %H:%M"),
            ]

    title = _("Assessment ranking, %(period)s") % {"period": period.label}
    return xlsx_response(
        filename=f"{_('assessment ranking')}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        sheet_title=_("Ranking"),
        title=title,
        headers=[
            _("Rank"),
            _("Unit"),
            _("Total score"),
            *[f"{i.name} ({i.weight:g})" for i in indicators],
            _("Computed at"),
        ],
        rows=lines(),
        widths=[8, 28, 10, *[12 for _i in indicators], 18],
    )


@user_passes(can_manage_assessment)
@require_POST
def recompute(request):
    campaign = campaign_current()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    period = period_from_query(request.POST)
    services.score_period_enqueue(
        campaign=campaign, period_start=period.start, period_end=period.end, by=request.user
    )
    messages.success(
        request,
        _("The scores for %(period)s are being computed; reload the page in a moment.")
        % {"period": period.label},
    )
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("assessment:ranking")
    return redirect(f"{next_url.split('?')[0]}?{period.query()}")


@user_passes(can_manage_assessment)
@require_http_methods(["GET", "POST"])
def manual_scores(request):
    campaign = campaign_current()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    manual = selectors.manual_indicators(campaign=campaign)
    if not manual:
        return render(request, "assessment/manual_scores.html", {"manual": []})
    keys = [key for key, _name in manual]
    indicator = request.GET.get("indicator", keys[0])
    if indicator not in keys:
        indicator = keys[0]
    period = period_from_query(request.GET)
    units, scores = selectors.manual_entry_rows(
        user=request.user,
        campaign=campaign,
        indicator=indicator,
        period=period,
        unit_id=_int(request.GET.get("unit")),
    )
    page = paginate(request, units, MANUAL_PER_PAGE)
    existing = {s.unit_id: s for s in scores.filter(unit__in=list(page.object_list))}
    forms = [
        (
            unit,
            existing.get(unit.pk),
            ManualScoreRowForm(
                request.POST if request.method == "POST" else None,
                prefix=f"u{unit.pk}",
                initial=_initial(existing.get(unit.pk)),
            ),
        )
        for unit in page.object_list
    ]
    if request.method == "POST":
        if all(form.is_valid() for _unit, _score, form in forms):
            changed = services.manual_scores_save(
                campaign=campaign,
                indicator=indicator,
                period_start=period.start,
                period_end=period.end,
                entries=[
                    (unit, form.cleaned_data["value"], form.cleaned_data["note"])
                    for unit, _score, form in forms
                ],
                by=request.user,
            )
            messages.success(request, _("%(count)d scores saved.") % {"count": changed})
            return redirect(f"{request.path}?{request.GET.urlencode()}")
        messages.error(request, _("Some scores could not be saved: see the rows marked in red."))
    context = {
        **_picker(request, campaign, period),
        "manual": manual,
        "indicator": indicator,
        "indicator_name": dict(manual)[indicator],
        "forms": forms,
        "page": page,
        "keep": [("indicator", indicator)],
        "query": _query(request),
    }
    return render(request, "assessment/manual_scores.html", context)


@user_passes(can_view_dashboard)
@require_GET
def dashboard(request):
    campaign = campaign_current()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    period = _period(request, campaign)
    stored = selectors.score_period_get(
        campaign=campaign, period_start=period.start, period_end=period.end
    )
    data = dashboard_build(user=request.user, campaign=campaign, period=stored, span=period)
    charts = {
        "ranking": data["chart"],
        "trend": data["trend"],
        "breakdowns": data["breakdowns"],
        "unit_url": reverse("assessment:unit_detail", args=[0]),
        "period_query": period.query(),
        "mean_label": _("Mean total score"),
    }
    context = {
        **_picker(request, campaign, period),
        **data,
        "campaign": campaign,
        "charts": charts,
        "can_manage": can_manage_assessment(request.user),
    }
    return render(request, "assessment/dashboard.html", context)


def _period(request, campaign):
    """The period asked for; by default the latest computed month, else this month."""
    latest = selectors.score_period_latest(campaign=campaign)
    default = period_of(latest.period_start, latest.period_end) if latest is not None else None
    return period_from_query(request.GET, default=default)


def _picker(request, campaign, period):
    """What the period picker needs: the period, the campaign's months, quarters and years."""
    months = campaign_months(campaign)
    quarters = list(dict.fromkeys(f"{m.start.year}-{(m.start.month - 1) // 3 + 1}" for m in months))
    years = list(dict.fromkeys(m.start.year for m in months))
    return {
        "campaign": campaign,
        "warn_below": campaign_targets(campaign)["warn_below"],
        "period": period,
        "period_kinds": KINDS,
        "picker_months": [m.start for m in reversed(months)],
        "picker_quarters": quarters[::-1],
        "picker_years": years[::-1],
        "period_query": period.query(),
    }


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _initial(score):
    if score is None:
        return {}
    return {"value": score.value, "note": score.note}


def _query(request, drop=("page",)):
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])
