"""Errors as JSON with a stable code and a Chinese message: {"code": "...", "message": "..."}.

Validation errors add `errors`: [{"field": "...", "message": "..."}].
"""

import logging

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

NOT_FOUND = _("Not found, or outside the token's unit scope.")
UNAUTHENTICATED = _("Send a valid API token (Authorization: Bearer …) or log in.")
TOKEN_REVOKED = _("This API token has been revoked.")
TOKEN_EXPIRED = _("This API token has expired.")
TOKEN_INVALID = _("This API token is not valid.")
SCOPE_MISSING = _("This API token lacks the scope %(scope)s.")
FORBIDDEN = _("You may not do this.")
CSRF_FAILED = _("The CSRF token is missing or wrong: send the X-CSRFToken header.")
RATE_LIMITED = _("Too many requests: at most %(limit)s a minute. Retry after %(seconds)s seconds.")
INVALID_INPUT = _("Some fields are not valid.")
IDEMPOTENCY_CONFLICT = _("This Idempotency-Key was used with a different request body.")
DUPLICATE_EXTERNAL_ID = _("An opinion with this external id was already pushed.")
NO_CAMPAIGN = _("No campaign is under way.")
BAD_CURSOR = _("The cursor is not valid.")
SERVER_ERROR = _("Internal error. The request was not completed.")


class ApiError(Exception):
    """An error answered as {"code", "message"} with an HTTP status."""

    def __init__(self, status, code, message, *, headers=None, extra=None):
        super().__init__(str(message))
        self.status, self.code, self.message = status, code, message
        self.headers, self.extra = headers or {}, extra or {}


def not_found():
    return ApiError(404, "not_found", NOT_FOUND)


def install(api):
    """Register the handlers that turn every error into the JSON shape above."""

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        response = api.create_response(
            request, {"code": exc.code, "message": str(exc.message), **exc.extra}, status=exc.status
        )
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(Http404)
    def http404(request, exc):
        return api.create_response(
            request, {"code": "not_found", "message": str(NOT_FOUND)}, status=404
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = api.create_response(
            request, {"code": "unauthenticated", "message": str(UNAUTHENTICATED)}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return api.create_response(
            request,
            {"code": "invalid", "message": str(INVALID_INPUT), "errors": errors},
            status=422,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
        code = codes.get(exc.status_code, "error")
        message = FORBIDDEN if exc.status_code == 403 else str(exc)
        return api.create_response(
            request, {"code": code, "message": str(message)}, status=exc.status_code
        )

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logging.getLogger("biaoshuai.api").exception("API error on %s", request.path)
        return api.create_response(
            request, {"code": "server_error", "message": str(SERVER_ERROR)}, status=500
        )


def invalid_fields(errors):
    """A 422 naming the fields: `errors` is {field: message} (as Django's ValidationError)."""
    items = [{"field": field, "message": str(message)} for field, message in errors.items()]
    return ApiError(422, "invalid", INVALID_INPUT, extra={"errors": items})


def _field_name(loc):
    # ninja's locations start with where the value came from ("body", "query", "path") and
    # the parameter's name; the field is what follows.
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts)
