"""The audit administrator's pages: the audit log and its chain status (the login log is a
page of accounts). Nothing here writes: the log cannot be edited or deleted through the
application.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_auditadmin, user_passes

from . import selectors
from .forms import AuditEventFilterForm


@user_passes(is_auditadmin)
@require_GET
def event_list(request):
    form = AuditEventFilterForm(
        request.GET or None, object_types=selectors.audit_object_types(user=request.user)
    )
    events = selectors.audit_event_list(user=request.user, **form.filters())
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": paginate(request, events), "query": _query_without_page(request)},
    )


@user_passes(is_auditadmin)
@require_GET
def event_detail(request, pk):
    event = selectors.audit_event_get(user=request.user, pk=pk)
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "changes": selectors.audit_event_changes(event),
            "object_type_label": selectors.object_type_label(event.object_type),
        },
    )


@user_passes(is_auditadmin)
@require_GET
def chain_verify(request):
    """Check the whole hash chain now and say where it breaks, if it does."""
    return render(request, "audit/verify.html", selectors.audit_chain_status())


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
