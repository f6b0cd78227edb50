"""Who may reach each route of portal (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import PUBLIC

ACCESS = {
    "portal:column": PUBLIC,
    "portal:feed": PUBLIC,
    "portal:home": PUBLIC,
}
