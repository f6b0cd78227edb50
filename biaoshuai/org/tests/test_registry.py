"""What org contributes to the registry gives figures within the user's scope."""

from django.test import RequestFactory

from biaoshuai.core.registry import registry
from biaoshuai.org.services import person_update


def test_metric_totals_are_scoped(users, org):
    cadres, units = registry.metrics["org.cadres"], registry.metrics["org.units"]
    assert cadres.total(user=users.office, campaign=None) == 4
    assert cadres.total(user=users.liaison_lishi, campaign=None) == 2
    assert units.total(user=users.liaison_lishi, campaign=None) == 2
    assert cadres.total(user=users.norole, campaign=None) is None
    assert units.total(user=users.norole, campaign=None) is None


def test_cadres_by_unit_counts_subtrees_in_one_query(users, org, django_assert_num_queries):
    person_update(person=org.people["zengji_b"], by=None, is_active=False)
    ids = [org.department.pk, org.lishi.pk, org.lishi_sub.pk, org.zengji.pk]
    with django_assert_num_queries(1):
        counts = registry.metrics["org.cadres"].by_unit(campaign=None, unit_ids=ids)
    assert counts == {org.department.pk: 3, org.lishi.pk: 2, org.lishi_sub.pk: 1, org.zengji.pk: 1}
    with django_assert_num_queries(1):
        sizes = registry.metrics["org.units"].by_unit(campaign=None, unit_ids=ids)
    assert sizes[org.department.pk] == 4 and sizes[org.lishi.pk] == 2


def test_navigation(users):
    keys = lambda user: [n.key for n in registry.nav_for(user) if n.key.startswith("org.")]  # noqa: E731
    assert keys(users.liaison_lishi) == ["org.units", "org.cadres", "org.roster_import"]
    assert keys(users.leader) == ["org.units", "org.cadres"]
    assert keys(users.office) == ["org.units", "org.cadres", "org.roster_import", "org.accounts"]
    assert "org.accounts" in keys(users.sysadmin)
    assert keys(users.norole) == []
    assert registry.exports["org.cadres"].visible(users.cadre_lishi)
    assert not registry.exports["org.cadres"].visible(users.norole)


def test_liaison_home_panel(users, org):
    panel = registry.home_panels["org.liaison"]
    request = RequestFactory().get("/")
    request.user = users.liaison_lishi
    context = panel.context(request)
    assert [(u.name, u.subtree_count) for u in context["units"]] == [("李市镇", 2)]
    request.user = users.office
    assert panel.context(request) is None
