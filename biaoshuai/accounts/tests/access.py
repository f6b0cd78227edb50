"""Who may reach each route of accounts (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import EVERYONE, NOT_SCOPED, PUBLIC, Access, public

ACCESS = {
    "accounts:account_security": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("secadmin", 200)),
    "accounts:account_unlock": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("secadmin", 405)),
    "accounts:login": PUBLIC,
    "accounts:login_log": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("auditadmin", 200)),
    "accounts:logout": public(405),
    "accounts:otp_disable": Access(302, EVERYONE, NOT_SCOPED, ("office", 405)),
    "accounts:otp_setup": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
    "accounts:otp_verify": Access(302, EVERYONE, NOT_SCOPED, ("office", 302)),
    "accounts:password_change": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
    "accounts:security": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
}
