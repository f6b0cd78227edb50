"""Who may reach each route of audit (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, Access

ACCESS = {
    "audit:event_detail": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("auditadmin", 200)),
    "audit:event_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("auditadmin", 200)),
    "audit:verify": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("auditadmin", 200)),
}
