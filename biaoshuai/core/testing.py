"""Helpers every app's tests use: logging in as a role, access checks, query counts."""

import importlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

ANONYMOUS = None
# The URL namespaces (and app labels) of the campaign's business pages: what the crawl tests
# walk and what the three system roles must never reach.
BUSINESS_NAMESPACES = frozenset(
    {
        "campaigns",
        "study",
        "practice",
        "opinions",
        "surveys",
        "appraisal",
        "rectification",
        "publicity",
        "supervision",
        "assessment",
    }
)


def login(client, user):
    """Log `user` in; system roles also pass two-factor with a real TOTP device."""
    client.force_login(user)
    if user.requires_two_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def assert_access(client, url, cases, *, method="get", data=None):
    """Request `url` as each user in `cases` ({user or ANONYMOUS: expected status}).

    Anonymous requests to the back office are expected to redirect to the login page (302).
    """
    failures = []
    for user, expected in cases.items():
        client.logout()
        if user is not None:
            login(client, user)
        response = getattr(client, method)(url, data or {})
        if response.status_code != expected:
            failures.append(f"{user or 'anonymous'}: {response.status_code}, expected {expected}")
        elif user is None and expected == 302:
            assert (
                str(settings.LOGIN_URL).split(":")[-1] in response.url or "/login" in response.url
            )
    client.logout()
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)


# Every named route declares who may reach it, in its app's `tests/access.py`:
# `ACCESS = {"opinions:detail": Access(...), "portal:home": PUBLIC, ...}`. A test walks the
# URL resolver and fails on a route without a declaration (core/tests/test_route_access.py),
# and requests every route on the demo's records as the declared users.
NOT_SCOPED = "not scoped"  # out_of_scope of a route whose records have no unit (or none)
EVERYONE = "everyone"  # wrong_role of a route every logged-in user may open


@dataclass(frozen=True)
class Access:
    """The access cases of one route, each a user of the `users` fixture (also a demo
    account) and the status that user gets on GET:

    - `anonymous`: the status without a login (302 to the login page in the back office,
      401 in the API);
    - `wrong_role`: (user, status) for a user whose role may not open it (403, or 404 for a
      system role on a business page), or EVERYONE;
    - `out_of_scope`: (user, 404) for a user of the right role outside the record's unit,
      or NOT_SCOPED;
    - `in_scope`: (user, status) for a user who may (200; 405 when the route only takes
      POST; 302 when it answers with a redirect).
    """

    anonymous: int
    wrong_role: tuple[str, int] | str
    out_of_scope: tuple[str, int] | str
    in_scope: tuple[str, int]
    public: bool = False

    def cases(self, users):
        """{user or ANONYMOUS: status} for `assert_access`."""
        cases = {ANONYMOUS: self.anonymous}
        for case in (self.wrong_role, self.out_of_scope, self.in_scope):
            if isinstance(case, tuple):
                cases[getattr(users, case[0])] = case[1]
        return cases


def public(status=200):
    """A route anyone may open, logged in or not (the portal, health checks, the login page)."""
    return Access(status, EVERYONE, NOT_SCOPED, ("office", status), public=True)


PUBLIC = public()


@cache
def access_tables():
    """{route name: Access} from every installed app's `tests/access.py`."""
    tables = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("biaoshuai."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        overlap = tables.keys() & module.ACCESS.keys()
        assert not overlap, f"declared twice: {sorted(overlap)}"
        tables.update(module.ACCESS)
    return tables


def assert_route_access(client, users, route, url, *, extra=None):
    """Check `url` (of the named `route`) against the route's declared access cases, plus
    any `extra` cases ({user: status}) the test adds for its own records."""
    access = access_tables()[route]
    assert_access(client, url, {**access.cases(users), **(extra or {})})


def count_queries(client, url, *, method="get", data=None):
    """(status, number of queries, the SQL) for one request."""
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    return response.status_code, len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(client, url, add_rows, *, expected=None):
    """The query count of `url` does not grow when `add_rows()` adds more rows.

    With `expected`, the count must also equal that number; the SQL is printed when it does not.
    """
    count_queries(client, url)  # warm up: a session's first request loads more than later ones
    status, before, _ = count_queries(client, url)
    assert status == 200, f"{url} answered {status}"
    add_rows()
    status, after, sql = count_queries(client, url)
    assert status == 200
    listing = "\n".join(sql)
    assert after == before, f"{url}: {before} queries, then {after} with more rows\n{listing}"
    if expected is not None:
        assert after == expected, f"{url}: {after} queries, expected {expected}\n{listing}"
    return after


DAMAGES = ("truncated", "sheet_cut", "bytes_flipped")


def damaged_xlsx(data, how):
    """A valid .xlsx `data` damaged as uploads get damaged: the file cut short
    ("truncated"), a worksheet's XML cut short inside an intact zip ("sheet_cut"), or
    bytes of a worksheet's compressed data overwritten ("bytes_flipped")."""
    import io
    import zipfile

    if how == "truncated":
        return data[: len(data) * 2 // 3]
    source = zipfile.ZipFile(io.BytesIO(data))
    sheets = [i for i in source.infolist() if i.filename.startswith("xl/worksheets/sheet")]
    if how == "sheet_cut":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info in sheets:
                    content = content[: len(content) // 2]
                target.writestr(info.filename, content)
        return out.getvalue()
    damaged = bytearray(data)
    for info in sheets:
        name_length = int.from_bytes(
            data[info.header_offset + 26 : info.header_offset + 28], "little"
        )
        extra_length = int.from_bytes(
            data[info.header_offset + 28 : info.header_offset + 30], "little"
        )
        start = info.header_offset + 30 + name_length + extra_length
        middle = start + info.compress_size // 2
        damaged[middle : middle + 8] = bytes(255 - b for b in damaged[middle : middle + 8])
    return bytes(damaged)


def migrate_latest():
    """Every app at its latest migration again, as the rest of the suite expects: taking one
    app back also unapplies the other apps' migrations that depend on it, which migrating
    that app forward alone would not re-apply."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
