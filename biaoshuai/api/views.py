"""Back office for the system administrator: issue, list and revoke integrators' tokens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_sysadmin, user_passes

from . import selectors, services
from .forms import TokenForm
from .models import ApiToken, Scope


@user_passes(is_sysadmin)
@require_GET
def token_list(request):
    page = paginate(request, selectors.api_token_list())
    labels = dict(Scope.choices)
    for token in page.object_list:
        token.scope_labels = [(scope, labels.get(scope, scope)) for scope in token.scopes]
    return render(request, "api/token_list.html", {"page": page})


@user_passes(is_sysadmin)
@require_http_methods(["GET", "POST"])
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret, webhook_secret = services.api_token_create(by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "api/token_once.html",
                {"token": token, "secret": secret, "webhook_secret": webhook_secret},
            )
    return render(request, "api/token_form.html", {"form": form})


@user_passes(is_sysadmin)
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.api_token_revoke(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token is revoked."))
    return redirect("api_tokens:token_list")
