from django.core.exceptions import ValidationError
from django.http import Http404

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.permissions import is_office
from biaoshuai.core.scope import MANAGE, scope_for


def can_view(user):
    return not scope_for(user).empty


def can_manage(user):
    return not scope_for(user, MANAGE).empty


def current_campaign_or_404():
    campaign = campaign_current()
    if campaign is None:
        raise Http404
    return campaign


def can_report_on(user, item):
    """Who may record progress, submit and ask for a new deadline: those who manage the
    responsible unit, and the responsible person or leader themselves."""
    if scope_for(user, MANAGE).covers(item.unit):
        return True
    return any(p is not None and p.user_id == user.pk for p in (item.person, item.leader))


def can_verify(user):
    return is_office(user)


def add_errors(form, exc: ValidationError):
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def cleaned(form):
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def query_string(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
