from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required  # noqa: F401

from biaoshuai.core.scope import MANAGE, scope_for


def can_write(user):
    """Units (liaisons) and the office write news, exemplars and publicity records."""
    return user.is_authenticated and not scope_for(user, MANAGE).empty


def can_manage(user, record):
    return scope_for(user, MANAGE).covers(record.unit)


def query_without_page(request):
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def cleaned(form):
    return form.cleaned_data if form.is_bound and form.is_valid() else {}
