"""Who may reach each route of publicity (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access

ACCESS = {
    "api:points_list": Access(401, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:disclosure_review": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "publicity:disclosure_set": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity:exemplar_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "publicity:exemplar_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:exemplar_edit": Access(
        302, ("cadre_lishi", 403), ("liaison_zengji", 404), ("office", 200)
    ),
    "publicity:exemplar_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:leaderboard": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:news_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "publicity:news_detail": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:news_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "publicity:news_image_remove": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity:news_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:publication_confirm": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity:publication_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "publicity:publication_detail": Access(
        302, ("sysadmin", 404), ("liaison_zengji", 404), ("office", 200)
    ),
    "publicity:publication_edit": Access(
        302, ("cadre_lishi", 403), ("liaison_zengji", 404), ("office", 302)
    ),
    "publicity:publication_export": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:publication_list": Access(302, ("sysadmin", 404), NOT_SCOPED, ("office", 200)),
    "publicity:publication_reject": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity:review_publish": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity:review_return": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity:review_submit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "publicity_public:exemplar_detail": PUBLIC,
    "publicity_public:exemplar_list": PUBLIC,
    "publicity_public:news_cover": PUBLIC,
    "publicity_public:news_detail": PUBLIC,
    "publicity_public:news_image": PUBLIC,
    "publicity_public:news_list": PUBLIC,
}
