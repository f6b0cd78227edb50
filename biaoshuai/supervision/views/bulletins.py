from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.figures import FigurePeriod
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_campaign_user, is_leading_group, is_office, user_passes
from biaoshuai.core.registry import registry

from .. import selectors, services
from ..documents import bulletin_docx, docx_filename
from ..forms import BulletinForm, BulletinGenerateForm, PublishForm, ReasonForm
from ..models import Bulletin
from ..periods import bulletin_due_on, bulletin_period
from ..selectors.bulletins import CRITICISM_KEYS
from .common import current_campaign, error_text, query_string, render_list

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _signed_in(user):
    return is_campaign_user(user)


@user_passes(_signed_in)
@require_GET
def bulletin_list(request):
    bulletins = selectors.bulletins_visible_to(user=request.user)
    context = {
        "page": paginate(request, bulletins),
        "query": query_string(request),
        "can_generate": is_office(request.user),
        "generate_form": BulletinGenerateForm(),
    }
    return render_list(request, "supervision/bulletin_list.html", context)


@user_passes(is_office)
@require_POST
def bulletin_generate(request):
    campaign = current_campaign()
    form = BulletinGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors["month"])))
        return redirect("supervision:bulletin_list")
    start, end = bulletin_period(campaign, form.cleaned_data["month"])
    try:
        bulletin = services.bulletin_generate(
            by=request.user, campaign=campaign, period_start=start, period_end=end
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("supervision:bulletin_list")
    messages.success(request, _("Draft bulletin generated; check and edit its text."))
    return redirect("supervision:bulletin_detail", pk=bulletin.pk)


@user_passes(_signed_in)
@require_GET
def bulletin_detail(request, pk):
    bulletin = selectors.bulletin_for(user=request.user, pk=pk)
    return render(request, "supervision/bulletin_detail.html", _context(request, bulletin))


@user_passes(is_office)
@require_http_methods(["GET", "POST"])
def bulletin_edit(request, pk):
    bulletin = selectors.bulletin_for(user=request.user, pk=pk)
    if bulletin.state not in Bulletin.EDITABLE:
        raise PermissionDenied
    form = BulletinForm(request.POST or None, instance=Bulletin.objects.get(pk=bulletin.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.bulletin_update(by=request.user, bulletin=bulletin, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bulletin saved."))
            return redirect("supervision:bulletin_detail", pk=bulletin.pk)
    return render(request, "supervision/bulletin_form.html", {"form": form, "bulletin": bulletin})


@user_passes(is_office)
@require_POST
def bulletin_submit(request, pk):
    return _transition(request, pk, services.bulletin_submit, _("Submitted for approval."))


@user_passes(is_leading_group)
@require_POST
def bulletin_approve(request, pk):
    return _transition(request, pk, services.bulletin_approve, _("Bulletin approved."))


@user_passes(is_leading_group)
@require_POST
def bulletin_return(request, pk):
    bulletin = selectors.bulletin_for(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.bulletin_return(
                by=request.user, bulletin=bulletin, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bulletin returned to the office."))
            return redirect("supervision:bulletin_detail", pk=bulletin.pk)
    context = _context(request, bulletin, return_form=form)
    return render(request, "supervision/bulletin_detail.html", context, status=400)


@user_passes(is_office)
@require_POST
def bulletin_publish(request, pk):
    bulletin = selectors.bulletin_for(user=request.user, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a disclosure level."))
        return redirect("supervision:bulletin_detail", pk=bulletin.pk)
    try:
        services.bulletin_publish(
            by=request.user, bulletin=bulletin, disclosure=form.cleaned_data["disclosure"]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Bulletin published."))
    return redirect("supervision:bulletin_detail", pk=bulletin.pk)


@user_passes(_signed_in)
@require_GET
def bulletin_download(request, pk):
    bulletin = selectors.bulletin_for(user=request.user, pk=pk)
    return docx_response(bulletin)


def docx_response(bulletin):
    response = HttpResponse(bulletin_docx(bulletin), content_type=DOCX)
    name = docx_filename(bulletin)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def bulletin_table(bulletin):
    """The on-screen table: one row per unit with its rank, total and figures."""
    metrics = bulletin.figures.get("metrics", {})
    keys = [k for k in CRITICISM_KEYS if k in metrics]
    columns = [(k, registry.metrics[k].label if k in registry.metrics else k) for k in keys]
    praised = set(bulletin.figures.get("praised", []))
    criticised = {c["id"] for c in bulletin.figures.get("criticised", [])}
    rows = []
    for row in bulletin.figures.get("rows", []):
        rows.append(
            {
                **row,
                "values": [(k, metrics[k].get(str(row["id"]))) for k in keys],
                "praised": row["id"] in praised,
                "criticised": row["id"] in criticised,
            }
        )
    period = FigurePeriod(end=bulletin.period_end, start=bulletin.period_start)
    return {
        "columns": columns,
        "rows": rows,
        "ranking": bulletin.figures.get("ranking", False),
        "campaign": bulletin.campaign_id,
        "period": period,
    }


def _transition(request, pk, service, message):
    bulletin = selectors.bulletin_for(user=request.user, pk=pk)
    try:
        service(by=request.user, bulletin=bulletin)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, message)
    return redirect("supervision:bulletin_detail", pk=bulletin.pk)


def _context(request, bulletin, *, return_form=None):
    user = request.user
    State = Bulletin.State
    return {
        "bulletin": bulletin,
        "table": bulletin_table(bulletin),
        "can_edit": is_office(user) and bulletin.state in Bulletin.EDITABLE,
        "can_approve": is_leading_group(user) and bulletin.state == State.SUBMITTED,
        "can_publish": is_office(user) and bulletin.state == State.APPROVED,
        "return_form": return_form or ReasonForm(),
        "publish_form": PublishForm(),
        "due_on": bulletin_due_on(bulletin.campaign, bulletin.period_end),
        "editable_states": [*Bulletin.EDITABLE, State.SUBMITTED],
    }
