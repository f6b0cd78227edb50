"""Who may reach each route of rectification (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access

ACCESS = {
    "api:item_detail": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "api:item_list": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "api:problem_detail": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "api:problem_list": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:deadline_change_decide": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)
    ),
    "rectification:deadline_change_list": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)
    ),
    "rectification:deadline_change_request": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)
    ),
    "rectification:evidence_download": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "rectification:item_close": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "rectification:item_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "rectification:item_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:item_progress": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:item_return": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "rectification:item_start": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:item_submit": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:ledger": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:ledger_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:ledger_import": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "rectification:plan_action": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:plan_completion": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:plan_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "rectification:plan_home": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:plan_measure_add": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:plan_measure_remove": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)
    ),
    "rectification:plan_mine": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 302)),
    "rectification:plan_problem_add": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:plan_problem_remove": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)
    ),
    "rectification:plan_review": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:plan_submit": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "rectification:problem_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "rectification:problem_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification:problem_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "rectification:problem_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "rectification_public:board": PUBLIC,
}
