"""For tests of any app's endpoints: a token with its secret, and the header that sends it."""

from .models import Scope
from .services import api_token_create

ALL_SCOPES = list(Scope.values)


def make_token(*, unit=None, scopes=ALL_SCOPES, **kwargs):
    """(token row, the secret to send)."""
    token, secret, _ = api_token_create(
        by=None, name="12345 热线平台", scopes=scopes, unit=unit, **kwargs
    )
    return token, secret


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
