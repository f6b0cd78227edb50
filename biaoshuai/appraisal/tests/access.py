"""Who may reach each route of appraisal (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, Access

ACCESS = {
    "appraisal:appraisal_detail": Access(
        302, ("cadre_lishi", 403), ("liaison_zengji", 404), ("office", 200)
    ),
    "appraisal:appraisal_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "appraisal:appraisal_transition": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)
    ),
    "appraisal:my_appraisal": Access(302, ("liaison_lishi", 403), NOT_SCOPED, ("cadre_lishi", 200)),
    "appraisal:my_appraisals": Access(
        302, ("liaison_lishi", 403), NOT_SCOPED, ("cadre_lishi", 200)
    ),
    "appraisal:self_check_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "appraisal:self_check_mine": Access(
        302, ("liaison_lishi", 403), NOT_SCOPED, ("cadre_lishi", 200)
    ),
    "appraisal:self_check_overview": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "appraisal:self_check_return": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "appraisal:self_check_unit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
}
