"""Who may reach each route of supervision (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access

ACCESS = {
    "supervision:attachment_download": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "supervision:bulletin_approve": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("leader", 405)),
    "supervision:bulletin_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:bulletin_download": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:bulletin_edit": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 403)
    ),  # the demo's first record is no demo account's
    "supervision:bulletin_generate": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:bulletin_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:bulletin_publish": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:bulletin_return": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("leader", 405)),
    "supervision:bulletin_submit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:evidence_download": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "supervision:finding_add": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:finding_to_item": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "supervision:finding_to_problem": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)
    ),
    "supervision:inspection_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "supervision:inspection_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "supervision:inspection_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:item_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "supervision:item_detail": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "supervision:item_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "supervision:report_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "supervision:report_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:report_review": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:report_submit": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 403)
    ),  # the demo's first record is no demo account's
    "supervision:report_table": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:task_accept": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:task_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "supervision:task_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "supervision:task_remind": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:task_reply": Access(
        302, ("cadre_lishi", 403), ("liaison_zengji", 404), ("liaison_lishi", 200)
    ),
    "supervision:task_return": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "supervision:task_sign": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("liaison_lishi", 405)),
    "supervision_public:bulletin_detail": PUBLIC,
    "supervision_public:bulletin_download": PUBLIC,
    "supervision_public:bulletin_list": PUBLIC,
}
