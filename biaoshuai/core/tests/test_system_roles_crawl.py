"""三员分立: a crawl of every business page, as each system role, on the demo's records.

Every named route of the campaign apps is requested (GET and an empty POST) as the
system, security and audit administrators: each answers 404, the same as "does not
exist", and nothing is written. The arguments are real records: a superuser, who may
see everything, reaches each object page first with the same arguments. Their own pages
still open, and the navigation and home page show them nothing of the campaign.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import BUSINESS_NAMESPACES, login
from biaoshuai.demo.loader import load_demo

# The cadre roster is the office's business data; units, accounts and roles are not.
BUSINESS_ORG = {
    "person_list",
    "person_export",
    "person_create",
    "person_detail",
    "person_edit",
    "roster_import",
    "roster_template",
}
OWN_PAGES = {
    "sysadmin": ["org:unit_list", "org:unit_create", "org:user_list", "api_tokens:token_list"],
    "secadmin": ["accounts:account_security"],
    "auditadmin": ["audit:event_list", "accounts:login_log"],
}
STRING_ARGS = {
    "kind": "news",
    "action": "confirm",
    "period": "2026-10",
    "key": "jiangdangxing",
}
BUSINESS_PREFIXES = [f"/{ns}/" for ns in sorted(BUSINESS_NAMESPACES)] + ["/org/cadres/"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _routes(patterns=None, namespace=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(
                pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern.name, pattern.pattern.converters


def business_routes():
    for namespace, name, converters in _routes():
        if namespace in BUSINESS_NAMESPACES or (namespace == "org" and name in BUSINESS_ORG):
            yield f"{namespace}:{name}", converters


def _candidates():
    """The first primary key of every campaign table, so object pages get real records."""
    from django.apps import apps

    pks = set()
    for model in apps.get_models():
        if model._meta.app_label in BUSINESS_NAMESPACES | {"org"}:
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if isinstance(first, int):
                pks.add(first)
    return sorted(pks)


def _url(name, converters, pk, token):
    kwargs = {}
    for param, converter in converters.items():
        if type(converter).__name__ == "IntConverter":
            kwargs[param] = pk
        elif param == "token":
            kwargs[param] = token
        else:
            kwargs[param] = STRING_ARGS[param]
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def urls(demo, db, client):
    """One URL per business route, with the first candidate record a superuser reaches."""
    from biaoshuai.study.models import StudySession

    token = StudySession.objects.values_list("sign_in_token", flat=True).first() or "x"
    root = get_user_model().objects.create_superuser("crawler", password="Crawl-2026-pass")
    client.force_login(root)
    candidates = _candidates()
    found, reached = {}, set()
    for name, converters in business_routes():
        if not converters:
            found[name] = reverse(name)
            continue
        tried = [_url(name, converters, pk, token) for pk in candidates]
        found[name] = next((u for u in tried if client.get(u).status_code != 404), None)
        if found[name] is None:
            found[name] = tried[0]
        else:
            reached.add(name)
    client.logout()
    with_args = [name for name, converters in business_routes() if converters]
    # Most object pages opened on a real record for the superuser (the rest need a record
    # of a kind the demo does not hold, or a user of their own, like 本人 pages).
    assert len(reached) > 0.8 * len(with_args), sorted(set(with_args) - reached)
    return found


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_system_roles_reach_no_business_page(client, urls, role):
    user = get_user_model().objects.get(username=role)
    login(client, user)
    events = AuditEvent.objects.count()
    answers = {}
    for name, url in sorted(urls.items()):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                answers[f"{method.upper()} {name} {url}"] = status
    assert answers == {}
    assert len(urls) > 150  # the crawl did walk the apps
    assert AuditEvent.objects.count() == events  # nothing was written


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_system_roles_keep_their_own_pages_and_see_no_campaign_navigation(client, demo, db, role):
    user = get_user_model().objects.get(username=role)
    login(client, user)
    for name in OWN_PAGES[role]:
        assert client.get(reverse(name)).status_code == 200, name
    nav = [item.url_name for item in registry.nav_for(user)]
    assert nav and all(
        name.split(":")[0] not in BUSINESS_NAMESPACES and name not in {"org:person_list"}
        for name in nav
    ), nav
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    body = home.content.decode()
    leaked = [prefix for prefix in BUSINESS_PREFIXES if f'href="{prefix}' in body]
    assert leaked == []


def test_the_sysadmin_keeps_units_accounts_and_roles_without_the_roster(client, demo, db):
    from biaoshuai.org.models import Person, RoleAssignment, Unit

    login(client, get_user_model().objects.get(username="sysadmin"))
    unit = Unit.objects.get(name="李市镇")
    assert client.get(reverse("org:unit_detail", args=[unit.pk])).status_code == 200
    assert client.get(reverse("org:unit_edit", args=[unit.pk])).status_code == 200
    person = Person.objects.filter(user__isnull=True).first()
    assert client.get(reverse("org:person_detail", args=[person.pk])).status_code == 404
    page = client.get(reverse("org:user_create"))
    assert page.status_code == 200
    assert person in page.context["form"].fields["person"].queryset  # picks the cadre
    liaison = get_user_model().objects.get(username="liaison_lishi")
    assignment = RoleAssignment.objects.filter(user=liaison).first()
    assert client.post(reverse("org:role_revoke", args=[assignment.pk])).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_no_demo_account_mixes_a_system_role_with_anything_else(demo, db):
    from biaoshuai.org.checks import mixed_role_accounts

    assert mixed_role_accounts() == []
    assert set(
        get_user_model().objects.exclude(system_role="").values_list("username", flat=True)
    ) == {"sysadmin", "secadmin", "auditadmin"}
