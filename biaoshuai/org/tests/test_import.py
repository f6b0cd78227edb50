"""Roster import: all rows checked first, all or nothing, errors by sheet, row and column."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.testing import DAMAGES, damaged_xlsx, login
from biaoshuai.org import imports
from biaoshuai.org.imports import (
    COLUMN_MISSING,
    DATE_INVALID,
    DUPLICATE_ROW,
    EMAIL_INVALID,
    FILE_UNREADABLE,
    GENDER_INVALID,
    KIND_INVALID,
    REQUIRED,
    UNIT_NOT_FOUND,
)
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.services import person_create, roster_import
from biaoshuai.org.validators import PHONE_INVALID

from .workbooks import roster_bytes, roster_upload

GOOD_UNITS = [
    ["城关镇", "县委组织部部机关", "乡镇", 5],
    ["城关镇党建办", "城关镇", "下属单位", None],
    ["县财政局", "县委组织部部机关", "县直单位", 20],
]
GOOD_PEOPLE = [
    ["陈明", "城关镇", "男", datetime.date(1982, 7, 1), "组织委员", "13512345678", "cm@example.cn"],
    ["周丽", "城关镇党建办", "女", "1990/3/15", "干事", 13687654321, ""],
    ["吴强", "县财政局", "男", None, "科员", None, None],
    ["王建国", "李市镇", None, None, "组织委员（新）", "13812341234", None],
]


def test_good_file_creates_and_updates(users, org):
    events_before = AuditEvent.objects.count()
    result = roster_import(file=roster_upload(GOOD_UNITS, GOOD_PEOPLE), by=users.office)
    assert result.ok, result.errors
    assert (result.units_created, result.units_updated) == (3, 0)
    assert (result.people_created, result.people_updated) == (3, 1)
    chengguan = Unit.objects.get(name="城关镇")
    assert chengguan.parent == org.department and chengguan.kind == Unit.Kind.TOWNSHIP
    assert chengguan.sort_order == 5
    sub = Unit.objects.get(name="城关镇党建办")
    assert sub.path.startswith(chengguan.path) and sub.depth == 2
    zhou = Person.objects.get(name="周丽")
    assert zhou.phone == "13687654321" and zhou.birth_date == datetime.date(1990, 3, 15)
    assert zhou.gender == Person.Gender.FEMALE and zhou.unit == sub
    wang = Person.objects.get(pk=org.people["lishi_a"].pk)
    assert wang.position == "组织委员（新）" and wang.phone == "13812341234"
    assert Person.objects.filter(name="王建国").count() == 1
    assert AuditEvent.objects.count() - events_before == 7  # every write is audited


def test_importing_the_same_file_twice_changes_nothing_the_second_time(users, org):
    roster_import(file=roster_upload(GOOD_UNITS, GOOD_PEOPLE), by=users.office)
    again = roster_import(file=roster_upload(GOOD_UNITS, GOOD_PEOPLE), by=users.office)
    assert again.ok
    assert (again.units_created, again.units_updated) == (0, 0)
    assert (again.people_created, again.people_updated) == (0, 0)


def test_file_with_errors_saves_nothing_and_reports_every_one(users, org):
    units = [
        ["城关镇", "县委组织部部机关", "乡镇", 1],
        ["", "县委组织部部机关", "乡镇", 2],
        ["某某所", "不存在的单位", "下属单位", 3],
        ["城关镇", "县委组织部部机关", "镇", 4],
    ]
    people = [
        ["陈明", "城关镇", "男", "1982-07-01", "组织委员", "13512345678"],
        ["周丽", "城关镇", "F", "1990-02-30", "干事", "1234"],
        ["陈明", "城关镇", "男", "1982-07-01", "组织委员", "13512345678"],
        ["", "", None, None, None, None, "not-an-email"],
    ]
    result = roster_import(file=roster_upload(units, people), by=users.office)
    assert not result.ok
    found = {(e.sheet, e.row, e.column, str(e.reason)) for e in result.errors}
    assert found == {
        ("单位", 3, "A 单位名称", str(REQUIRED)),
        ("单位", 4, "B 上级单位", str(UNIT_NOT_FOUND % {"name": "不存在的单位"})),
        (
            "单位",
            5,
            "C 类别",
            str(KIND_INVALID % {"value": "镇", "allowed": "部机关、乡镇、县直单位、下属单位"}),
        ),
        ("单位", 5, "A 单位名称", str(DUPLICATE_ROW % {"row": 2})),
        ("干部", 3, "C 性别", str(GENDER_INVALID)),
        ("干部", 3, "D 出生日期", str(DATE_INVALID % {"value": "1990-02-30"})),
        ("干部", 3, "F 手机号码", str(PHONE_INVALID)),
        ("干部", 4, "A 姓名", str(DUPLICATE_ROW % {"row": 2})),
        ("干部", 5, "A 姓名", str(REQUIRED)),
        ("干部", 5, "B 所在单位", str(REQUIRED)),
        ("干部", 5, "G 电子邮箱", str(EMAIL_INVALID % {"value": "not-an-email"})),
    }
    assert not Unit.objects.filter(name="城关镇").exists()
    assert not Person.objects.filter(name="陈明").exists()


def test_duplicate_unit_rows_are_reported(users, org):
    units = [["城关镇", "县委组织部部机关", "乡镇", 1], ["城关镇", "县委组织部部机关", "乡镇", 2]]
    result = roster_import(file=roster_upload(units), by=users.office)
    assert [(e.row, e.column, str(e.reason)) for e in result.errors] == [
        (3, "A 单位名称", str(DUPLICATE_ROW % {"row": 2}))
    ]


def test_missing_column_and_unreadable_file(users, org):
    result = roster_import(
        file=roster_upload(people=[["陈明"]], person_columns=["姓名", "职务"]), by=users.office
    )
    assert [(e.sheet, e.row, str(e.reason)) for e in result.errors] == [
        ("干部", 1, str(COLUMN_MISSING % {"column": "所在单位"}))
    ]
    broken = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04not really a workbook")
    result = roster_import(file=broken, by=users.office)
    assert [str(e.reason) for e in result.errors] == [str(FILE_UNREADABLE)]


def test_ambiguous_unit_name_can_be_written_with_its_parent(users, org):
    roster_import(
        file=roster_upload([["党建办", "李市镇", "下属单位"], ["党建办", "曾集镇", "下属单位"]]),
        by=users.office,
    )
    result = roster_import(file=roster_upload(people=[["赵六", "党建办"]]), by=users.office)
    assert result.errors and result.errors[0].column == "B 所在单位"
    result = roster_import(file=roster_upload(people=[["赵六", "曾集镇/党建办"]]), by=users.office)
    assert result.ok
    assert Person.objects.get(name="赵六").unit.parent == org.zengji


def test_import_page_shows_errors_then_summary(client, users, org):
    login(client, users.office)
    bad = roster_upload(people=[["陈明", "城关镇", "男", None, None, "12345"]])
    page = client.post(reverse("org:roster_import"), {"file": bad}).content.decode()
    assert "import-errors" in page and "F 手机号码" in page and "城关镇" in page
    assert not Person.objects.filter(name="陈明").exists()
    good = roster_upload(GOOD_UNITS, GOOD_PEOPLE)
    page = client.post(reverse("org:roster_import"), {"file": good}).content.decode()
    assert "import-summary" in page
    assert Person.objects.filter(name="陈明").exists()


def test_upload_of_another_type_is_refused(client, users):
    login(client, users.office)
    fake = SimpleUploadedFile("roster.csv", "姓名,所在单位\n".encode())
    response = client.post(reverse("org:roster_import"), {"file": fake})
    assert response.status_code == 200
    assert (
        "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    )


def test_template_opens_and_is_importable(client, users, org):
    login(client, users.office)
    response = client.get(reverse("org:roster_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["单位", "干部", "填写说明"]
    assert [c.value for c in workbook["单位"][1]] == ["单位名称", "上级单位", "类别", "排序"]
    assert [c.value for c in workbook["干部"][1]] == [
        "姓名",
        "所在单位",
        "性别",
        "出生日期",
        "职务",
        "手机号码",
        "电子邮箱",
    ]
    assert workbook["单位"].max_row >= 2 and workbook["干部"].max_row == 2
    # The example rows themselves import cleanly into the fixture's tree.
    result = roster_import(
        file=SimpleUploadedFile("t.xlsx", imports.roster_template()), by=users.office
    )
    assert result.ok, result.errors


def test_roster_bytes_helper_roundtrip():
    workbook = load_workbook(BytesIO(roster_bytes([["甲", "", "乡镇"]])))
    assert workbook["单位"]["A2"].value == "甲"


def test_a_cadre_is_matched_by_the_phones_blind_index(users, org):
    """Two cadres of the same name in one unit: the phone (encrypted, so matched through
    its blind index) says which one the row updates."""
    twin = person_create(by=None, unit=org.lishi, name="王建国", phone="13966665555")
    people = [["王建国", "李市镇", None, None, "宣传委员", "139-6666-5555", None]]
    result = roster_import(file=roster_upload([], people), by=users.office)
    assert result.ok, result.errors
    assert (result.people_created, result.people_updated) == (0, 1)
    twin.refresh_from_db()
    assert twin.position == "宣传委员"
    assert Person.objects.get(pk=org.people["lishi_a"].pk).position != "宣传委员"


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_workbook_is_a_form_error_not_a_500(client, users, org, how):
    people = [
        [f"干部{n}", "李市镇", "男", None, "干事" * 20, f"1380000{n:04d}"] for n in range(300)
    ]
    upload = SimpleUploadedFile("roster.xlsx", damaged_xlsx(roster_bytes([], people), how))
    result = roster_import(file=upload, by=users.office)
    assert [str(e.reason) for e in result.errors] == [str(FILE_UNREADABLE)]
    upload.seek(0)
    login(client, users.office)
    response = client.post(reverse("org:roster_import"), {"file": upload})
    assert response.status_code == 200
    assert "无法作为 Excel 工作簿（.xlsx）读取该文件" in response.content.decode()
    assert not Person.objects.filter(name="干部1").exists()
