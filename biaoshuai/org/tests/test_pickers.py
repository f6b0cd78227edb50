"""The unit and cadre pickers: the search endpoints answer only within the caller's scope,
and a picker's select holds only the chosen options, kept when the form comes back."""

import pytest
from django.urls import reverse

from biaoshuai.core.testing import ANONYMOUS, assert_access, count_queries, login
from biaoshuai.org.forms import AccountCreateForm, PersonFilterForm, PersonForm
from biaoshuai.org.models import Unit
from biaoshuai.org.services import person_create, unit_create

pytestmark = pytest.mark.django_db


def _results(client, name, **params):
    response = client.get(reverse(f"org:pick_{name}"), params)
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize("name", ["units", "people"])
def test_who_may_search(client, users, name):
    assert_access(
        client,
        reverse(f"org:pick_{name}") + "?q=镇",
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.secadmin: 403,
            users.auditadmin: 403,
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )


def test_units_within_scope_with_their_parent(client, users, org):
    login(client, users.liaison_lishi)
    found = _results(client, "units", q="镇")
    assert {r["text"] for r in found} == {"李市镇", "李市镇党建办"}  # not 曾集镇
    sub = next(r for r in found if r["text"] == "李市镇党建办")
    assert sub == {"id": org.lishi_sub.pk, "text": "李市镇党建办", "unit": "李市镇"}
    assert _results(client, "units", q="曾集") == []
    login(client, users.office)
    assert {r["text"] for r in _results(client, "units", q="曾集")} == {"曾集镇"}


def test_people_within_scope_with_their_unit(client, users, org):
    login(client, users.liaison_lishi)
    found = _results(client, "people")
    assert {(r["text"], r["unit"]) for r in found} == {
        ("王建国", "李市镇"),
        ("李秀英", "李市镇党建办"),
    }
    assert _results(client, "people", q="张伟") == []  # 曾集镇, another unit
    # `within` another unit's subtree finds nobody, even for a name in scope.
    assert _results(client, "people", q="王", within=org.zengji.pk) == []
    assert _results(client, "people", within="x") == []
    login(client, users.office)
    assert [r["text"] for r in _results(client, "people", q="张伟")] == ["张伟"]
    within = _results(client, "people", within=org.lishi_sub.pk)
    assert [r["text"] for r in within] == ["李秀英"]
    # Only cadres with no login yet, for creating one (王建国 has one).
    assert "王建国" not in {r["text"] for r in _results(client, "people", without_login=1)}


def test_search_queries_do_not_grow(client, users, org):
    login(client, users.office)
    url = reverse("org:pick_people") + "?q=镇&within=" + str(org.lishi.pk)
    client.get(url)  # the first request of a session reads a little more
    before = _reads(client, url)
    assert len(before) == 4  # the user, their roles, the `within` unit, the cadres
    for n in range(5):
        unit = unit_create(
            by=None, name=f"李市镇第{n}村", kind=Unit.Kind.SUB_UNIT, parent=org.lishi
        )
        person_create(by=None, unit=unit, name=f"村干部{n}", phone=f"1350000{n:04d}")
    after = _reads(client, url)
    assert len(after) == len(before), "\n".join(after)


def _reads(client, url):
    """The request's queries, less the session's (its save depends on the clock)."""
    _status, _count, sql = count_queries(client, url)
    return [q for q in sql if "django_session" not in q and "SAVEPOINT" not in q]


def test_the_select_holds_only_the_chosen_options(users, org):
    for n in range(40):
        unit_create(by=None, name=f"第{n}村", kind=Unit.Kind.SUB_UNIT, parent=org.zengji)
    html = str(PersonFilterForm(user=users.office)["unit"])
    assert html.count("<option") == 1  # the empty "All units"
    assert 'data-picker-url="/org/pick/units/?action=view"' in html
    chosen = str(PersonFilterForm({"unit": org.zengji.pk}, user=users.office)["unit"])
    assert chosen.count("<option") == 2 and "selected" in chosen and "曾集镇" in chosen


def test_a_form_with_errors_keeps_the_chosen_unit_and_cadre(users, org):
    form = PersonForm({"name": "", "unit": org.zengji.pk}, user=users.office)
    assert not form.is_valid()
    html = str(form["unit"])
    assert "selected" in html and "曾集镇" in html
    person = org.people["zengji_a"]
    form = AccountCreateForm({"person": person.pk, "username": ""}, user=users.office)
    assert not form.is_valid()
    html = str(form["person"])
    assert html.count("<option") <= 2 and "张伟（曾集镇）" in html
    assert "without_login=1" in html


def test_a_chosen_value_out_of_scope_is_refused(users, org):
    form = PersonForm({"name": "新同志", "unit": org.zengji.pk}, user=users.liaison_lishi)
    assert not form.is_valid() and "unit" in form.errors
    assert "曾集镇" not in str(form["unit"])
