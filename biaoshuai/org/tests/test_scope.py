"""A liaison of 李市镇 never sees 曾集镇's cadres: lists, detail, export, form choices, import."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.testing import login
from biaoshuai.org.forms import PersonFilterForm, PersonForm, RoleAssignForm, UnitForm
from biaoshuai.org.imports import UNIT_NOT_FOUND
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.services import roster_import

from .workbooks import roster_upload


def test_person_list_shows_own_subtree_only(client, users, org):
    login(client, users.liaison_lishi)
    page = client.get(reverse("org:person_list")).content.decode()
    assert "王建国" in page and "李秀英" in page
    assert "张伟" not in page and "刘芳" not in page


def test_person_list_ignores_a_unit_filter_out_of_scope(client, users, org):
    login(client, users.liaison_lishi)
    response = client.get(reverse("org:person_list"), {"unit": org.zengji.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "张伟" not in page and "刘芳" not in page


def test_unit_filter_includes_sub_units(client, users, org):
    login(client, users.office)
    page = client.get(reverse("org:person_list"), {"unit": org.lishi.pk}).content.decode()
    assert "王建国" in page and "李秀英" in page and "张伟" not in page


def test_unit_list_shows_own_subtree_only(client, users, org):
    login(client, users.liaison_lishi)
    page = client.get(reverse("org:unit_list")).content.decode()
    assert "李市镇党建办" in page
    assert "曾集镇" not in page and "县委组织部部机关" not in page


def test_detail_pages_of_another_unit_answer_404(client, users, org):
    login(client, users.liaison_lishi)
    for url in (
        reverse("org:person_detail", args=[org.people["zengji_a"].pk]),
        reverse("org:person_edit", args=[org.people["zengji_a"].pk]),
        reverse("org:unit_detail", args=[org.zengji.pk]),
        reverse("org:unit_edit", args=[org.zengji.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_export_holds_own_subtree_rows_only(client, users, org):
    login(client, users.liaison_lishi)
    response = client.get(reverse("org:person_export"))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"王建国", "李秀英"}


def test_form_choices_are_scoped(users, org):
    liaison = users.liaison_lishi
    for form in (
        PersonForm(user=liaison),
        UnitForm(user=liaison),
        PersonFilterForm(user=liaison),
        RoleAssignForm(user=liaison),
    ):
        field = form.fields["unit" if "unit" in form.fields else "parent"]
        assert set(field.queryset.values_list("name", flat=True)) == {"李市镇", "李市镇党建办"}


def test_posting_a_cadre_into_another_unit_is_refused(client, users, org):
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("org:person_create"), {"name": "赵六", "unit": org.zengji.pk, "is_active": "on"}
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="赵六").exists()
    assert "赵六" in response.content.decode()  # the input is kept


def test_posting_a_unit_under_another_unit_is_refused(client, users, org):
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("org:unit_create"),
        {"name": "曾集镇党建办", "kind": Unit.Kind.SUB_UNIT, "parent": org.zengji.pk},
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(name="曾集镇党建办").exists()


def test_liaison_cannot_import_into_another_unit(users, org):
    result = roster_import(
        file=roster_upload(
            units=[["曾集镇新支部", "曾集镇", "下属单位", 1]],
            people=[["赵六", "曾集镇", "男", None, "干事", "13512345678"]],
        ),
        by=users.liaison_lishi,
    )
    assert not result.ok
    reasons = {(e.sheet, e.row, e.column): e.reason for e in result.errors}
    assert reasons[("单位", 2, "B 上级单位")] == str(UNIT_NOT_FOUND % {"name": "曾集镇"})
    assert reasons[("干部", 2, "B 所在单位")] == str(UNIT_NOT_FOUND % {"name": "曾集镇"})
    # Out of scope reads exactly like a unit that does not exist.
    unknown = roster_import(
        file=roster_upload(people=[["赵六", "不存在镇", "男"]]), by=users.liaison_lishi
    )
    assert unknown.errors[0].reason == str(UNIT_NOT_FOUND % {"name": "不存在镇"})
    assert not Person.objects.filter(name="赵六").exists()
    assert not Unit.objects.filter(name="曾集镇新支部").exists()


def test_liaison_imports_into_own_unit(users, org):
    result = roster_import(
        file=roster_upload(
            units=[["李市镇一支部", "李市镇", "下属单位", 2]],
            people=[["赵六", "李市镇一支部", "男", "1985-03-04", "干事", "13512345678"]],
        ),
        by=users.liaison_lishi,
    )
    assert result.ok, result.errors
    person = Person.objects.get(name="赵六")
    assert person.unit.parent == org.lishi
