from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import can_view_org, is_office, user_passes

from . import selectors, services
from .forms import CampaignCreateForm, PlanStepStatusForm
from .models import EFFECTIVE_STATUS_CHOICES, PlanStep
from .template import KEY_RE, TEMPLATE_DIR, template_choices, template_text

# Campaigns are not unit data: anyone who holds a role reads them; the office manages them.
can_view_campaigns = can_view_org


@user_passes(can_view_campaigns)
@require_GET
def campaign_list(request):
    page = paginate(request, selectors.campaign_list(user=request.user))
    return render(
        request,
        "campaigns/campaign_list.html",
        {"page": page, "is_office": is_office(request.user)},
    )


@user_passes(is_office)
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create_from_template(
            data=form.template_data,
            source=form.cleaned_data["text"].strip()
            or template_text(form.cleaned_data["template"]),
            starts_on=form.cleaned_data["starts_on"],
            by=request.user,
            make_current=form.cleaned_data["make_current"],
        )
        messages.success(
            request,
            _("The campaign %(name)s has been created with %(count)s phases.")
            % {"name": campaign, "count": campaign.phases.count()},
        )
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_create.html",
        {"form": form, "shipped": template_choices()},
    )


@user_passes(is_office)
@require_GET
def template_download(request, key):
    """A shipped template as a file, to start one's own from."""
    path = TEMPLATE_DIR / f"{key}.yaml"
    if not KEY_RE.match(key) or not path.is_file():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.yaml"'
    return response


@user_passes(is_office)
@require_GET
def campaign_template(request, pk):
    """The template a campaign was created from, as a file: to keep, change or run again."""
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    text = selectors.campaign_template_text(campaign=campaign)
    response = HttpResponse(text.encode("utf-8"), content_type="application/x-yaml; charset=utf-8")
    name = f"{campaign.template_key}-{campaign.starts_on:%Y%m%d}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@user_passes(can_view_campaigns)
@require_GET
def campaign_detail(request, pk):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "phases": selectors.campaign_phases(campaign=campaign),
            "reference": campaign.config.get("reference", []),
            "tables": selectors.campaign_config_tables(campaign=campaign),
            "reporting": campaign.config.get("reporting", {}),
            "settings": selectors.campaign_settings(campaign=campaign),
            "is_office": is_office(request.user),
        },
    )


@user_passes(is_office)
@require_POST
def set_current(request, pk):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    services.campaign_set_current(campaign=campaign, by=request.user)
    messages.success(request, _("%(name)s is now the current campaign.") % {"name": campaign})
    return redirect("campaigns:campaign_list")


@user_passes(can_view_campaigns)
@require_GET
def plan(request, pk):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    return _render_plan(request, campaign)


@user_passes(can_view_campaigns)
@require_GET
def current_plan(request):
    campaign = selectors.campaign_current()
    if campaign is None:
        return render(request, "campaigns/no_current.html", {"is_office": is_office(request.user)})
    return _render_plan(request, campaign)


@user_passes(is_office)
@require_POST
def step_update(request, pk):
    step = get_object_or_404(
        PlanStep.objects.select_related("phase__campaign", "responsible_unit"), pk=pk
    )
    form = PlanStepStatusForm(request.POST)
    if form.is_valid():
        try:
            services.plan_step_update(
                step=step,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                done_on=form.cleaned_data["done_on"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    if request.htmx:
        context = {
            "row": selectors.plan_step_row(step=step),
            "is_office": True,
            "form": form if form.errors else None,
            "updated": not form.errors,
            "step_statuses": PlanStep.Status.choices,
        }
        return render(request, "campaigns/plan.html#step-row", context)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{step}: {error}")
    else:
        messages.success(request, _("%(step)s: status saved.") % {"step": step})
    return redirect(reverse("campaigns:plan", args=[step.phase.campaign_id]) + f"#step-{step.pk}")


def _render_plan(request, campaign):
    phase_key = request.GET.get("phase", "")
    status = request.GET.get("status", "")
    if status not in dict(EFFECTIVE_STATUS_CHOICES):
        status = ""
    plan_view = selectors.plan_build(
        campaign=campaign, today=timezone.localdate(), phase_key=phase_key, status=status
    )
    return render(
        request,
        "campaigns/plan.html",
        {
            "plan": plan_view,
            "campaign": campaign,
            "phase_key": phase_key,
            "status": status,
            "statuses": EFFECTIVE_STATUS_CHOICES,
            "step_statuses": PlanStep.Status.choices,
            "is_office": is_office(request.user),
        },
    )


@user_passes(can_view_campaigns)
@require_POST
def choose(request):
    """The top bar's switcher: work in another campaign, and come back to the same page."""
    campaign = get_object_or_404(
        selectors.campaigns_visible_to(request.user), pk=_int(request.POST.get("campaign"))
    )
    services.campaign_choose(user=request.user, campaign=campaign)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
