"""Who may reach each route of opinions (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access, public

ACCESS = {
    "api:opinion_counts": Access(401, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "api:opinion_create": Access(401, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "api:opinion_detail": Access(
        401, ("cadre_lishi", 403), ("liaison_zengji", 404), ("office", 200)
    ),
    "api:opinion_list": Access(401, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "opinions:approve": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions:assign": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions:attachment": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "opinions:classify": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions:create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "opinions:detail": Access(302, ("cadre_lishi", 403), ("liaison_zengji", 404), ("office", 200)),
    "opinions:group_detail": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "opinions:groups": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "opinions:groups_recompute": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions:list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "opinions:reply": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions:return": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions:sign": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "opinions_public:disclosed": PUBLIC,
    "opinions_public:rate": public(405),
    "opinions_public:submit": PUBLIC,
    "opinions_public:thanks": public(302),
    "opinions_public:track": PUBLIC,
}
