"""Helpers the practice views share."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from biaoshuai.core.paginate import paginate

from ..forms import ListFilterForm
from ..permissions import can_edit_record


def render_list(request, template_name, context):
    """The whole page, or only the table partial for an HTMX request (filtering, paging)."""
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template_name}#table", context)
    return render(request, template_name, context)


def filtered(request, selector, *, kinds=None, exemplar=True, **extra):
    """(filter form, filters, records) for a list page or its export."""
    form = ListFilterForm(request.GET or None, user=request.user, kinds=kinds, exemplar=exemplar)
    filters = form.filters()
    return form, filters, selector(user=request.user, **filters, **extra)


def list_context(request, form, filters, records):
    return {
        "form": form,
        "page": paginate(request, records),
        "query": query_string(request),
        "filtered": bool(filters),
    }


def query_string(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def require_edit(user, record):
    """Seen (in scope) but not theirs to change: 403, not 404."""
    if not can_edit_record(user, record):
        raise PermissionDenied
