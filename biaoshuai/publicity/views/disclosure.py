"""The office's disclosure review: every disclosable record whose proposed level differs
from the level set, whatever app it belongs to."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.permissions import is_office, user_passes
from biaoshuai.core.registry import registry

from .. import selectors, services
from ..forms import DisclosureSetForm


@user_passes(is_office)
@require_GET
def disclosure_review(request):
    groups = [
        (entry, [(record, entry.url(record) if entry.url else "") for record in records])
        for entry, records in selectors.disclosure_review()
    ]
    levels = selectors.disclosure_levels(campaign_current())
    return render(
        request,
        "publicity/disclosure_review.html",
        {"groups": groups, "levels": levels, "level_names": dict(levels)},
    )


@user_passes(is_office)
@require_POST
def disclosure_set(request):
    form = DisclosureSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid disclosure level."))
        return redirect("publicity:disclosure_review")
    entry = registry.disclosables.get(form.cleaned_data["kind"])
    if entry is None:
        raise Http404
    record = entry.model._default_manager.filter(pk=form.cleaned_data["pk"]).first()
    if record is None:
        raise Http404
    try:
        services.disclosure_set(obj=record, level=form.cleaned_data["level"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(record)s” is now %(level)s.")
            % {
                "record": record,
                "level": dict(selectors.disclosure_levels(campaign_current()))[record.disclosure],
            },
        )
    return redirect("publicity:disclosure_review")
