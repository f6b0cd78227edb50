"""Who may reach each route of notifications (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import EVERYONE, NOT_SCOPED, Access

ACCESS = {
    "notifications:inbox": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
    "notifications:mark_all_read": Access(302, EVERYONE, NOT_SCOPED, ("office", 405)),
    "notifications:mark_read": Access(302, EVERYONE, NOT_SCOPED, ("office", 405)),
    "notifications:open": Access(302, EVERYONE, NOT_SCOPED, ("office", 405)),
    "notifications:preferences": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
    "notifications:unread": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
}
