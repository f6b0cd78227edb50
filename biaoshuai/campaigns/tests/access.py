"""Who may reach each route of campaigns (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, Access

ACCESS = {
    "api:campaign_current_detail": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "api:campaign_detail": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "api:campaign_list": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "campaigns:campaign_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "campaigns:campaign_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "campaigns:campaign_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "campaigns:campaign_template": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "campaigns:choose": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "campaigns:current_plan": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "campaigns:plan": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "campaigns:set_current": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "campaigns:step_update": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "campaigns:template_download": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
}
