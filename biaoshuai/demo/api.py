"""Demo: an integrator token for the county's 12345 hotline platform.

A token is shown only once: the loader prints it to the log only when it creates it.
"""

from biaoshuai.api.models import ApiToken, Scope
from biaoshuai.api.services import api_token_create

from .common import demo_user

HOTLINE = "12345 热线平台"


def load_api(*, log):
    if ApiToken.objects.filter(name=HOTLINE, revoked_at__isnull=True).exists():
        return 0
    _, secret, _ = api_token_create(
        by=demo_user("sysadmin"),
        name=HOTLINE,
        scopes=[Scope.OPINIONS_WRITE, Scope.OPINIONS_READ],
    )
    log(f"API token for {HOTLINE} (shown only now): {secret}")
    return 1
