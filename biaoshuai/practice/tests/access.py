"""Who may reach each route of practice (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access

ACCESS = {
    "practice:attachment_download": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "practice:discussion_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "practice:discussion_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "practice:discussion_edit": Access(
        302, ("cadre_lishi", 403), ("liaison_zengji", 404), ("office", 200)
    ),
    "practice:discussion_exemplar": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "practice:discussion_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:discussion_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:pairing_create": Access(302, ("leader", 403), NOT_SCOPED, ("office", 200)),
    "practice:pairing_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "practice:pairing_edit": Access(302, ("leader", 403), ("liaison_zengji", 404), ("office", 200)),
    "practice:pairing_exemplar": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "practice:pairing_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:pairing_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:placement_create": Access(302, ("leader", 403), NOT_SCOPED, ("office", 200)),
    "practice:placement_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "practice:placement_edit": Access(
        302, ("leader", 403), ("liaison_zengji", 404), ("office", 200)
    ),
    "practice:placement_exemplar": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 405)),
    "practice:placement_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:placement_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:placement_report": Access(
        302, ("sysadmin", 404), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "practice:visit_create": Access(302, ("leader", 403), ("liaison_zengji", 404), ("office", 200)),
    "practice:visit_edit": Access(302, ("leader", 403), ("liaison_zengji", 404), ("office", 200)),
    "practice:visit_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice:visit_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "practice_public:exemplar_list": PUBLIC,
}
