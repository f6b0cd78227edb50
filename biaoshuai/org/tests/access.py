"""Who may reach each route of org (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, Access

ACCESS = {
    "api:unit_detail": Access(401, ("secadmin", 403), NOT_SCOPED, ("office", 200)),
    "api:unit_list": Access(401, ("secadmin", 403), NOT_SCOPED, ("office", 200)),
    "org:person_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:person_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "org:person_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:person_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "org:person_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "org:pick_people": Access(302, ("secadmin", 403), NOT_SCOPED, ("office", 200)),
    "org:pick_units": Access(302, ("secadmin", 403), NOT_SCOPED, ("office", 200)),
    "org:role_assign": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 200)),
    "org:role_revoke": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 405)),
    "org:roster_import": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:roster_template": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:unit_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:unit_detail": Access(302, ("secadmin", 403), NOT_SCOPED, ("office", 200)),
    "org:unit_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:unit_list": Access(302, ("secadmin", 403), NOT_SCOPED, ("office", 200)),
    "org:user_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 200)),
    "org:user_detail": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:user_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "org:user_password_reset": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("sysadmin", 405)),
}
