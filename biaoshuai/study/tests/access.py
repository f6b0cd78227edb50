"""Who may reach each route of study (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, Access

ACCESS = {
    "api:completion_list": Access(401, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:attendance_mark": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:completion": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:completion_export": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:completion_refresh": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "study:completion_unit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:deliverable_create": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "study:deliverable_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "study:deliverable_edit": Access(302, ("liaison_lishi", 403), NOT_SCOPED, ("cadre_lishi", 200)),
    "study:deliverable_file": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "study:deliverable_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:deliverable_review": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "study:deliverable_submit": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "study:event_file": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "study:material_delete": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "study:material_download": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "study:material_upload": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "study:my_study": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "study:session_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:session_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "study:session_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:session_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "study:session_qr": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "study:sign_in": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
}
