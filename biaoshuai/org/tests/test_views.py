"""Forms and pages: input kept on error, edits audited, the HTMX table partial."""

from django.urls import reverse

from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.testing import login
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.validators import PHONE_INVALID


def test_htmx_request_gets_only_the_table(client, users, org):
    login(client, users.office)
    url = reverse("org:person_list")
    partial = client.get(url, {"q": "王"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="person-table">')
    assert "王建国" in partial and "张伟" not in partial and "<html" not in partial
    boosted = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true").content.decode()
    assert "<html" in boosted


def test_search_by_position(client, users, org):
    from biaoshuai.org.services import person_update

    person_update(person=org.people["zengji_b"], by=None, position="组织委员")
    login(client, users.office)
    page = client.get(reverse("org:person_list"), {"q": "组织委员"}).content.decode()
    assert "刘芳" in page and "王建国" not in page


def test_unit_list_filters_by_kind_and_name(client, users, org):
    login(client, users.office)
    page = client.get(reverse("org:unit_list"), {"kind": Unit.Kind.SUB_UNIT}).content.decode()
    assert "李市镇党建办" in page and "曾集镇" not in page
    page = client.get(reverse("org:unit_list"), {"q": "曾集"}).content.decode()
    assert "曾集镇" in page and "李市镇党建办" not in page


def test_cadre_form_keeps_input_and_says_what_to_fix(client, users, org):
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("org:person_create"),
        {"name": "赵六", "unit": org.lishi.pk, "phone": "1381234", "position": "宣传委员"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert str(PHONE_INVALID) in page
    assert 'value="宣传委员"' in page and 'value="1381234"' in page
    assert not Person.objects.filter(name="赵六").exists()


def test_cadre_edit_is_audited(client, users, org):
    person = org.people["lishi_a"]
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("org:person_edit", args=[person.pk]),
        {"name": "王建国", "unit": org.lishi_sub.pk, "phone": "13812341234", "is_active": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.unit == org.lishi_sub
    event = AuditEvent.objects.filter(object_id=str(person.pk), action="update").last()
    assert event.changes == {"unit": [org.lishi.pk, org.lishi_sub.pk]}
    assert event.actor == users.liaison_lishi


def test_liaison_edits_own_unit_without_moving_it(client, users, org):
    login(client, users.liaison_lishi)
    url = reverse("org:unit_edit", args=[org.lishi.pk])
    response = client.post(
        url,
        {
            "name": "李市镇（改）",
            "kind": Unit.Kind.TOWNSHIP,
            "parent": org.zengji.pk,
            "sort_order": 3,
        },
    )
    assert response.status_code == 302
    org.lishi.refresh_from_db()
    assert org.lishi.name == "李市镇（改）" and org.lishi.parent == org.department


def test_office_moves_a_unit_with_its_subtree(client, users, org):
    login(client, users.office)
    response = client.post(
        reverse("org:unit_edit", args=[org.lishi.pk]),
        {"name": "李市镇", "kind": Unit.Kind.TOWNSHIP, "parent": org.zengji.pk, "sort_order": 0},
    )
    assert response.status_code == 302
    org.lishi_sub.refresh_from_db()
    assert org.lishi_sub.path.startswith(org.zengji.path) and org.lishi_sub.depth == 3
    # A unit cannot be moved below itself: its subtree is not offered.
    response = client.post(
        reverse("org:unit_edit", args=[org.lishi.pk]),
        {"name": "李市镇", "kind": Unit.Kind.TOWNSHIP, "parent": org.lishi_sub.pk},
    )
    assert response.status_code == 200


def test_liaison_adds_a_sub_unit_but_not_a_top_level_one(client, users, org):
    login(client, users.liaison_lishi)
    url = reverse("org:unit_create")
    response = client.post(
        url, {"name": "李市镇一支部", "kind": Unit.Kind.SUB_UNIT, "sort_order": 0}
    )
    assert response.status_code == 200 and not Unit.objects.filter(name="李市镇一支部").exists()
    response = client.post(
        url,
        {
            "name": "李市镇一支部",
            "kind": Unit.Kind.SUB_UNIT,
            "parent": org.lishi.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="李市镇一支部").parent == org.lishi
