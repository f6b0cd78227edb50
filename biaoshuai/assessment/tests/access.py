"""Who may reach each route of assessment (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, Access

ACCESS = {
    "api:score_list": Access(401, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "api:figure_list": Access(401, ("secadmin", 404), NOT_SCOPED, ("cadre_lishi", 200)),
    "assessment:dashboard": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "assessment:manual_scores": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "assessment:ranking": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "assessment:ranking_export": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "assessment:recompute": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "assessment:unit_detail": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
}
