"""Who may reach each route of core (see core.testing.Access). The route-coverage test
(core/tests/test_route_access.py) fails on a route missing here and checks these cases on
the demo's records; the app's access tests read them too (`assert_route_access`)."""

from biaoshuai.core.testing import EVERYONE, NOT_SCOPED, Access, public

ACCESS = {
    "core:home": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
    # The demo has no export job; each is its owner's only (core/tests: the export jobs).
    "core:export_download": Access(302, EVERYONE, NOT_SCOPED, ("office", 404)),
    "core:export_job": Access(302, EVERYONE, NOT_SCOPED, ("office", 404)),
    "core:work_badges": Access(302, EVERYONE, NOT_SCOPED, ("office", 200)),
    "set_language": public(302),
}
