"""Who may reach each route of api (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access, public

ACCESS = {
    "api:api-root": public(404),
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api_tokens:token_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 200)),
    "api_tokens:token_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 200)),
    "api_tokens:token_revoke": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 405)),
}
