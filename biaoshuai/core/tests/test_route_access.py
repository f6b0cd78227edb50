"""Every route has an access table.

Each named route of the project (back office, portal, API, health checks) declares who
may reach it in its app's `tests/access.py` (`core.testing.Access`): anonymous, a user of
the wrong role, a user of the right role outside the record's unit, a user in scope; public
routes declare themselves `PUBLIC`. A route without a declaration fails here, so a new page
or endpoint cannot ship without saying who may open it. The declarations are then checked
on the demo's records, each route requested as the users it names.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from biaoshuai.core.testing import ANONYMOUS, EVERYONE, NOT_SCOPED, access_tables, login
from biaoshuai.demo.loader import load_demo

# The users the declarations may name: the `users` fixture's, which the demo also has.
USERS = {
    "office",
    "leader",
    "liaison_lishi",
    "liaison_zengji",
    "cadre_lishi",
    "sysadmin",
    "secadmin",
    "auditadmin",
}
STRING_ARGS = {"kind": "news", "action": "confirm", "period": "2026-10", "key": "jiangdangxing"}


def named_routes(patterns=None, namespace=None):
    """{"namespace:name": its converters} for every named route the resolver knows."""
    routes = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = (f"{namespace}:{inner}" if namespace and inner else inner) or namespace
            routes.update(named_routes(pattern.url_patterns, full))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            routes.setdefault(name, pattern.pattern.converters)
    return routes


def test_every_named_route_declares_its_access():
    declared = access_tables()
    routes = named_routes()
    missing = sorted(routes.keys() - declared.keys())
    assert not missing, (
        "These routes declare no access cases; add each to its app's tests/access.py "
        "(anonymous, wrong role, out of scope, in scope; or PUBLIC):\n" + "\n".join(missing)
    )
    stale = sorted(declared.keys() - routes.keys())
    assert not stale, f"Declared for routes that do not exist: {stale}"


def test_every_declaration_names_its_four_cases():
    for name, access in access_tables().items():
        assert isinstance(access.anonymous, int), name
        for case, allowed in (
            (access.wrong_role, EVERYONE),
            (access.out_of_scope, NOT_SCOPED),
            (access.in_scope, None),
        ):
            if case == allowed:
                continue
            user, status = case
            assert user in USERS and isinstance(status, int), (name, case)
        if isinstance(access.out_of_scope, tuple):
            assert access.out_of_scope[1] == 404, f"{name}: out of scope is the same as absent"
        if not access.public:
            assert access.anonymous in (302, 401, 403, 404, 405), name


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _restart_ids()
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _restart_ids():
    """Ids from 1, as on a new database, so the demo's records have the same ids on every
    database and after any test (PostgreSQL's sequences do not roll back)."""
    sql = connection.ops.sequence_reset_by_name_sql(
        no_style(), connection.introspection.sequence_list()
    )
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _urls(client):
    """One URL per route: for a route with arguments, the first record a superuser reaches."""
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.study.models import StudySession

    token = StudySession.objects.values_list("sign_in_token", flat=True).first() or "x"
    campaign = Campaign.objects.current()
    pks = set()
    for model in apps.get_models():
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if isinstance(first, int):
            pks.add(first)
    root = get_user_model().objects.create_superuser("crawler", password="Crawl-2026-pass")
    client.force_login(root)
    urls = {}
    for name, converters in named_routes().items():
        tried = [_url(name, converters, pk, token) for pk in sorted(pks)] if converters else []
        if name.startswith("api:"):
            # An API call names its campaign (else it works in the latest one under way, the
            # demo's second campaign): the demo's records are the default campaign's.
            tried = [f"{u}?campaign={campaign.pk}" for u in tried or [reverse(name)]]
        if not tried:
            urls[name] = reverse(name)
            continue
        urls[name] = next((u for u in tried if client.get(u).status_code != 404), tried[0])
    client.logout()
    return urls


def _url(name, converters, pk, token):
    kwargs = {}
    for param, converter in converters.items():
        if type(converter).__name__ == "IntConverter" or param.endswith("_id"):
            kwargs[param] = pk
        elif param == "token":
            kwargs[param] = token
        else:
            kwargs[param] = STRING_ARGS.get(param, "x")
    return reverse(name, kwargs=kwargs)


def test_declared_access_holds_on_the_demo(demo, db, client):
    declared = access_tables()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
    wrong = []
    for name, url in sorted(_urls(client).items()):
        access = declared[name]
        cases = {ANONYMOUS: access.anonymous}
        for case in (
            () if access.public else (access.wrong_role, access.out_of_scope, access.in_scope)
        ):
            if isinstance(case, tuple):
                cases[case[0]] = case[1]
        for who, expected in cases.items():
            client.logout()
            if who is not ANONYMOUS:
                login(client, users[who])
            status = client.get(url).status_code
            if status != expected:
                wrong.append(f"{name} {url} as {who or 'anonymous'}: {status}, declared {expected}")
    client.logout()
    assert not wrong, "\n".join(wrong)
