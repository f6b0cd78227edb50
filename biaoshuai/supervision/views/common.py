from urllib.parse import quote

from django.http import FileResponse, Http404
from django.shortcuts import render

from biaoshuai.campaigns.selectors import campaign_current_required
from biaoshuai.core.permissions import is_leading_group, is_liaison, is_office
from biaoshuai.core.scope import VIEW, scope_for


def can_view_supervision(user):
    return not scope_for(user, VIEW).empty


def can_issue(user):
    return is_office(user) or is_leading_group(user)


def can_reply(user):
    return is_liaison(user)


def current_campaign():
    return campaign_current_required()


def cleaned(form):
    """The fields that are valid: a bad filter value is ignored, the others still apply."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def query_string(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def render_list(request, template, context):
    """The whole page, or only its table partial for an HTMX request."""
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template}#table", context)
    return render(request, template, context)


def file_response(field, name):
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def error_text(exc):
    return " ".join(exc.messages)
