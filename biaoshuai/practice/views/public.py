"""The portal's page of exemplars: confirmed records disclosed to the public, nothing else."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from biaoshuai.core.paginate import paginate

from .. import selectors
from .common import query_string

KIND_LABELS = {
    "discussion": _("Discussion"),
    "pairing": _("Pairing"),
    "placement": _("Exchange placement"),
}


@require_GET
def exemplar_list(request):
    kind = request.GET.get("kind", "")
    if kind not in KIND_LABELS:
        kind = ""
    page = paginate(request, selectors.public_exemplars(kind=kind), per_page=12)
    for row in page:
        row["kind_label"] = KIND_LABELS[row["record_kind"]]
    return render(
        request,
        "practice/public/exemplar_list.html",
        {"page": page, "kind": kind, "kinds": KIND_LABELS, "query": query_string(request)},
    )
