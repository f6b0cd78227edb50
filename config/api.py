"""The JSON API for integrators, /api/v1/: one router per app, OpenAPI at openapi.json.

Every call made with a token or a session is written to the audit log (verb "api_call"):
after the response, or by the endpoint itself inside its transaction (a push: one
transaction for the opinion and both its audit events).
"""

from functools import wraps

from django.urls import path
from ninja import NinjaAPI

from biaoshuai.api import errors
from biaoshuai.api.auth import SessionCsrfAuth, TokenAuth
from biaoshuai.api.common import call_record
from biaoshuai.api.docs import OfflineSwagger
from biaoshuai.assessment.api import router as assessment
from biaoshuai.campaigns.api import router as campaigns
from biaoshuai.opinions.api import router as opinions
from biaoshuai.org.api import router as org
from biaoshuai.publicity.api import router as publicity
from biaoshuai.rectification.api import router as rectification
from biaoshuai.study.api import router as study

DESCRIPTION = """表率 API for integrators (12345 hotline platforms, dashboards).

Authenticate with `Authorization: Bearer <token>` (a token the system administrator issues),
or with a logged-in session (writes then need the `X-CSRFToken` header). A token sees only
its unit's subtree and may only do what its scopes allow. Errors are JSON:
`{"code": "not_found", "message": "…"}`.

Every record belongs to a campaign. A call names its campaign with `?campaign=<id>` (404
`not_found` when there is no such campaign); without it, the call works in the latest
campaign under way (the one that started last and has not ended), else the current one,
whatever campaign a logged-in user picked in the pages. `GET /api/v1/campaigns` lists them.
"""


class AuditedNinjaAPI(NinjaAPI):
    def _get_urls(self):
        return [_audited(pattern) for pattern in super()._get_urls()]


def _audited(pattern):
    view = pattern.callback

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not getattr(request, "api_call_recorded", False):
            call_record(request, response.status_code)
        return response

    return path(str(pattern.pattern), wrapped, pattern.default_args, pattern.name)


api = AuditedNinjaAPI(
    title="表率 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionCsrfAuth(csrf=True)],
    docs=OfflineSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)


def _routers():
    return [
        ("/org", org),
        ("/campaigns", campaigns),
        ("/study", study),
        ("/opinions", opinions),
        ("/rectification", rectification),
        ("/assessment", assessment),
        ("/publicity", publicity),
    ]


for prefix, router in _routers():
    api.add_router(prefix, router)
