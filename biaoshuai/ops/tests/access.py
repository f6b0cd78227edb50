"""Who may reach each route of ops (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import EVERYONE, NOT_SCOPED, PUBLIC, Access

ACCESS = {
    "ops:healthz": PUBLIC,
    # A bearer token (METRICS_TOKEN) or an allowed network opens it, never a login.
    "ops:metrics": Access(403, EVERYONE, NOT_SCOPED, ("office", 403)),
    "ops:readyz": PUBLIC,
}
