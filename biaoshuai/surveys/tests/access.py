"""Who may reach each route of surveys (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import NOT_SCOPED, PUBLIC, Access

ACCESS = {
    "surveys:answer": Access(
        302, ("liaison_lishi", 403), NOT_SCOPED, ("office", 403)
    ),  # the demo's first record is no demo account's
    "surveys:my_surveys": Access(302, ("liaison_lishi", 403), NOT_SCOPED, ("cadre_lishi", 200)),
    "surveys:question_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:question_delete": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "surveys:question_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:round_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:round_export": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:round_results": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:round_texts": Access(
        302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 404)
    ),  # the demo's first record is no demo account's
    "surveys:round_transition": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 405)),
    "surveys:section_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:survey_compare": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:survey_create": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:survey_detail": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:survey_edit": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:survey_list": Access(302, ("cadre_lishi", 403), NOT_SCOPED, ("office", 200)),
    "surveys:thanks": Access(
        302, ("liaison_lishi", 403), NOT_SCOPED, ("office", 403)
    ),  # the demo's first record is no demo account's
    "surveys_public:answer": PUBLIC,
    "surveys_public:list": PUBLIC,
    "surveys_public:thanks": PUBLIC,
}
