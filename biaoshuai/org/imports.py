"""The roster (花名册) workbook: its template, and reading and checking an uploaded one.

Reading never writes: `roster_read` returns a plan of what to create and update, and every
error found, with sheet, row and column. `services.roster_import` saves a plan with no errors.
"""

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from biaoshuai.core.fields import blind_index
from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.core.uploads import XLSX_DAMAGED

from .models import Person, Unit
from .validators import validate_mobile

# Sheet and column headers stay in Chinese whatever the interface language:
# the office fills the roster in Chinese.
UNIT_SHEET = "单位"
PERSON_SHEET = "干部"
NOTES_SHEET = "填写说明"
UNIT_NAME, UNIT_PARENT, UNIT_KIND, UNIT_ORDER = "单位名称", "上级单位", "类别", "排序"
UNIT_COLUMNS = [UNIT_NAME, UNIT_PARENT, UNIT_KIND, UNIT_ORDER]
P_NAME, P_UNIT, P_GENDER, P_BIRTH, P_POSITION, P_PHONE, P_EMAIL = (
    "姓名",
    "所在单位",
    "性别",
    "出生日期",
    "职务",
    "手机号码",
    "电子邮箱",
)
PERSON_COLUMNS = [P_NAME, P_UNIT, P_GENDER, P_BIRTH, P_POSITION, P_PHONE, P_EMAIL]
KIND_BY_LABEL = {
    "部机关": Unit.Kind.DEPARTMENT,
    "乡镇": Unit.Kind.TOWNSHIP,
    "县直单位": Unit.Kind.COUNTY_AGENCY,
    "下属单位": Unit.Kind.SUB_UNIT,
}
GENDER_BY_LABEL = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
MAX_ROWS = 5000

# Messages that tests check.
FILE_UNREADABLE = gettext_lazy("The file cannot be read as an Excel workbook (.xlsx).")
SHEETS_MISSING = gettext_lazy("The workbook has neither a “单位” nor a “干部” sheet.")
COLUMN_MISSING = gettext_lazy("The column “%(column)s” is missing from the header row.")
REQUIRED = gettext_lazy("This cell is required.")
UNIT_NOT_FOUND = gettext_lazy(
    "No unit named “%(name)s” that you manage; it must exist already or be listed earlier "
    "in the “单位” sheet."
)
UNIT_AMBIGUOUS = gettext_lazy(
    "Several units are named “%(name)s”; write it as “parent unit/unit”, e.g. “李市镇/%(name)s”."
)
KIND_INVALID = gettext_lazy("Unknown kind “%(value)s”; use one of: %(allowed)s.")
ORDER_INVALID = gettext_lazy("The order must be a whole number of 0 or more.")
GENDER_INVALID = gettext_lazy("Write 男 or 女.")
DATE_INVALID = gettext_lazy("“%(value)s” is not a date; write it like 1980-05-01.")
DATE_RANGE = gettext_lazy("The date of birth must be between 1930 and today.")
EMAIL_INVALID = gettext_lazy("“%(value)s” is not a valid e-mail address.")
TOO_LONG = gettext_lazy("At most %(limit)s characters.")
DUPLICATE_ROW = gettext_lazy("The same row already appears at row %(row)s.")
ROOT_NOT_ALLOWED = gettext_lazy("Only the campaign office may add a unit with no parent.")
PERSON_AMBIGUOUS = gettext_lazy(
    "Several cadres named “%(name)s” are in this unit; give the mobile number to choose one."
)
TOO_MANY_ROWS = gettext_lazy("At most %(limit)s rows per sheet.")


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    """What an import did, or why it did nothing (`errors`)."""

    units_created: int = 0
    units_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@dataclass
class PlannedUnit:
    row: int
    name: str
    parent: "Unit | PlannedUnit | None"
    kind: str
    sort_order: int | None
    existing: Unit | None = None
    saved: Unit | None = None


@dataclass
class PlannedPerson:
    row: int
    unit: "Unit | PlannedUnit"
    fields: dict
    existing: Person | None = None


@dataclass
class RosterPlan:
    units: list[PlannedUnit] = field(default_factory=list)
    people: list[PlannedPerson] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def roster_template():
    """The workbook to fill in: the two sheets with their headers and an example row, and notes."""
    workbook = Workbook()
    units = workbook.active
    units.title = UNIT_SHEET
    _header(units, UNIT_COLUMNS, [24, 24, 14, 8])
    units.append(["李市镇", "县委组织部部机关", "乡镇", 10])
    units.append(["李市镇党建办", "李市镇", "下属单位", 1])
    people = workbook.create_sheet(PERSON_SHEET)
    _header(people, PERSON_COLUMNS, [12, 24, 8, 14, 20, 16, 26])
    people.append(["王建国", "李市镇", "男", datetime.date(1980, 5, 1), "组织委员", "13812345678"])
    people.cell(row=2, column=4).number_format = "yyyy-mm-dd"
    people.cell(row=2, column=6).number_format = "@"
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 16
    notes.column_dimensions["C"].width = 80
    notes.append(["工作表", "列", "填写说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for row in NOTES:
        notes.append(row)
        for cell in notes[notes.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NOTES = [
    (
        "全部",
        "",
        "第 1 行为表头，请勿修改；第 2 行起每行一条记录。表中示例行请删除或改为实际内容。",
    ),
    (
        "全部",
        "",
        "导入时先检查每一行；只要有一处错误，全部不导入，并列出出错的工作表、行、列和原因。",
    ),
    (
        "单位",
        "单位名称",
        "必填，不超过 100 字。同一上级单位下名称不能重复；已有同名单位时更新其类别和排序。",
    ),
    (
        "单位",
        "上级单位",
        "填写已有单位的名称，或本表前面各行中的单位名称；留空表示最上级单位（仅活动办公室可用）。"
        "名称重复时写成“上级单位/单位名称”。",
    ),
    ("单位", "类别", "必填：部机关、乡镇、县直单位、下属单位 四选一。"),
    ("单位", "排序", "选填，非负整数，数字小的排在前面。"),
    ("干部", "姓名", "必填，不超过 50 字。"),
    (
        "干部",
        "所在单位",
        "必填，填写已有单位或“单位”表中的单位名称；联络员只能填写本单位及下属单位。",
    ),
    ("干部", "性别", "选填：男 或 女。"),
    ("干部", "出生日期", "选填，日期格式，如 1980-05-01。"),
    ("干部", "职务", "选填，不超过 100 字。"),
    ("干部", "手机号码", "选填，11 位手机号码；请把单元格设为文本格式。"),
    ("干部", "电子邮箱", "选填。"),
    (
        "干部",
        "",
        "同一单位中姓名与手机号码都相同（或姓名相同且只有一人）的干部视为同一人，更新其信息；"
        "否则新增。更新时空白单元格不改变原有内容。",
    ),
]


def roster_read(*, file, by):
    """Read and check the workbook; a plan with every error found, and nothing written."""
    plan = RosterPlan()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, *XLSX_DAMAGED):
        plan.errors.append(RowError("", 0, "", str(FILE_UNREADABLE)))
        return plan
    try:
        if UNIT_SHEET not in workbook.sheetnames and PERSON_SHEET not in workbook.sheetnames:
            plan.errors.append(RowError("", 0, "", str(SHEETS_MISSING)))
            return plan
        resolver = _UnitResolver(by)
        if UNIT_SHEET in workbook.sheetnames:
            _read_units(workbook[UNIT_SHEET], plan, resolver, by)
        if PERSON_SHEET in workbook.sheetnames:
            _read_people(workbook[PERSON_SHEET], plan, resolver)
    except XLSX_DAMAGED:  # a damaged sheet shows only when its rows are read
        return RosterPlan(errors=[RowError("", 0, "", str(FILE_UNREADABLE))])
    finally:
        workbook.close()
    return plan


class _UnitResolver:
    """Finds units by name among those the user manages, and those planned earlier in the file."""

    def __init__(self, user):
        self.user = user
        self.scope = scope_for(user, MANAGE)
        self.by_name = {}
        for unit in Unit.objects.restrict(user, MANAGE).select_related("parent"):
            self.by_name.setdefault(unit.name, []).append(unit)

    def add(self, planned):
        self.by_name.setdefault(planned.name, []).append(planned)

    def find(self, text):
        """(unit or planned unit, None) or (None, error message)."""
        parts = [p.strip() for p in text.replace("／", "/").split("/") if p.strip()]
        name = parts[-1] if parts else text
        candidates = self.by_name.get(name, [])
        if len(parts) > 1:
            candidates = [c for c in candidates if _parent_name(c) == parts[-2]]
        if not candidates:
            return None, UNIT_NOT_FOUND % {"name": text}
        if len(candidates) > 1:
            return None, UNIT_AMBIGUOUS % {"name": name}
        return candidates[0], None

    def child(self, parent, name):
        for candidate in self.by_name.get(name, []):
            if _same(_parent_of(candidate), parent):
                return candidate
        return None


def _read_units(sheet, plan, resolver, by):
    columns = _columns(sheet, UNIT_SHEET, UNIT_COLUMNS, [UNIT_NAME, UNIT_KIND], plan)
    if columns is None:
        return
    seen = {}
    for row_number, values in _rows(sheet, UNIT_SHEET, plan):
        cells = {name: _text(values, index) for name, index in columns.items()}
        errors = []
        name, parent_text = cells.get(UNIT_NAME, ""), cells.get(UNIT_PARENT, "")
        if not name:
            errors.append((UNIT_NAME, REQUIRED))
        elif len(name) > 100:
            errors.append((UNIT_NAME, TOO_LONG % {"limit": 100}))
        kind = KIND_BY_LABEL.get(cells.get(UNIT_KIND, ""))
        if not cells.get(UNIT_KIND):
            errors.append((UNIT_KIND, REQUIRED))
        elif kind is None:
            errors.append(
                (
                    UNIT_KIND,
                    KIND_INVALID % {"value": cells[UNIT_KIND], "allowed": "、".join(KIND_BY_LABEL)},
                )
            )
        sort_order = None
        raw_order = _raw(values, columns.get(UNIT_ORDER))
        if raw_order not in (None, ""):
            sort_order = _whole_number(raw_order)
            if sort_order is None:
                errors.append((UNIT_ORDER, ORDER_INVALID))
        parent = None
        if parent_text:
            parent, message = resolver.find(parent_text)
            if message:
                errors.append((UNIT_PARENT, message))
        elif not resolver.scope.all:
            errors.append((UNIT_PARENT, ROOT_NOT_ALLOWED))
        if name and not any(column == UNIT_PARENT for column, _ in errors):
            key = (id(parent), name)
            if key in seen:
                errors.append((UNIT_NAME, DUPLICATE_ROW % {"row": seen[key]}))
            else:
                seen[key] = row_number
        for column, message in errors:
            plan.errors.append(RowError(UNIT_SHEET, row_number, _label(columns, column), message))
        if errors:
            continue
        existing = resolver.child(parent, name)
        if isinstance(existing, PlannedUnit):
            continue
        planned = PlannedUnit(row_number, name, parent, kind, sort_order, existing=existing)
        plan.units.append(planned)
        if existing is None:
            resolver.add(planned)


def _read_people(sheet, plan, resolver):
    columns = _columns(sheet, PERSON_SHEET, PERSON_COLUMNS, [P_NAME, P_UNIT], plan)
    if columns is None:
        return
    planned_rows = []
    for row_number, values in _rows(sheet, PERSON_SHEET, plan):
        cells = {name: _text(values, index) for name, index in columns.items()}
        errors = []
        fields = {}
        name = cells.get(P_NAME, "")
        if not name:
            errors.append((P_NAME, REQUIRED))
        elif len(name) > 50:
            errors.append((P_NAME, TOO_LONG % {"limit": 50}))
        else:
            fields["name"] = name
        unit = None
        if not cells.get(P_UNIT):
            errors.append((P_UNIT, REQUIRED))
        else:
            unit, message = resolver.find(cells[P_UNIT])
            if message:
                errors.append((P_UNIT, message))
        gender = cells.get(P_GENDER, "")
        if gender:
            if gender in GENDER_BY_LABEL:
                fields["gender"] = GENDER_BY_LABEL[gender]
            else:
                errors.append((P_GENDER, GENDER_INVALID))
        raw = _raw(values, columns.get(P_BIRTH))
        if raw not in (None, ""):
            birth = _date(raw)
            if birth is None:
                errors.append((P_BIRTH, DATE_INVALID % {"value": _text(values, columns[P_BIRTH])}))
            elif not datetime.date(1930, 1, 1) <= birth <= datetime.date.today():
                errors.append((P_BIRTH, DATE_RANGE))
            else:
                fields["birth_date"] = birth
        position = cells.get(P_POSITION, "")
        if len(position) > 100:
            errors.append((P_POSITION, TOO_LONG % {"limit": 100}))
        elif position:
            fields["position"] = position
        phone = cells.get(P_PHONE, "").replace(" ", "").replace("-", "")
        if phone:
            try:
                validate_mobile(phone)
                fields["phone"] = phone
            except ValidationError as exc:
                errors.append((P_PHONE, exc.messages[0]))
        email = cells.get(P_EMAIL, "")
        if email:
            try:
                validate_email(email)
                fields["email"] = email
            except ValidationError:
                errors.append((P_EMAIL, EMAIL_INVALID % {"value": email}))
        for column, message in errors:
            plan.errors.append(RowError(PERSON_SHEET, row_number, _label(columns, column), message))
        if not errors:
            planned_rows.append(PlannedPerson(row_number, unit, fields))
    _match_people(planned_rows, plan, columns)


def _match_people(rows, plan, columns):
    """Find duplicates inside the file, and the existing cadre each row updates, if any."""
    existing_units = {id(r.unit): r.unit for r in rows if isinstance(r.unit, Unit)}
    existing = {}
    if existing_units:
        names = {r.fields["name"] for r in rows}
        for person in Person.objects.filter(unit__in=list(existing_units.values()), name__in=names):
            existing.setdefault((person.unit_id, person.name), []).append(person)
    seen = {}
    for row in rows:
        name, phone = row.fields["name"], row.fields.get("phone", "")
        key = (id(row.unit), name, phone)
        if key in seen:
            plan.errors.append(
                RowError(
                    PERSON_SHEET,
                    row.row,
                    _label(columns, P_NAME),
                    DUPLICATE_ROW % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.row
        if isinstance(row.unit, Unit):
            same_name = existing.get((row.unit.pk, name), [])
            index = blind_index(phone, kind="phone")
            by_phone = [p for p in same_name if index and p.phone_index == index]
            if by_phone:
                row.existing = by_phone[0]
            elif len(same_name) == 1:
                row.existing = same_name[0]
            elif len(same_name) > 1:
                plan.errors.append(
                    RowError(
                        PERSON_SHEET,
                        row.row,
                        _label(columns, P_PHONE if P_PHONE in columns else P_NAME),
                        PERSON_AMBIGUOUS % {"name": name},
                    )
                )
                continue
        plan.people.append(row)


def _columns(sheet, sheet_name, known, required, plan):
    """{column header: index} from the first row, or None when a required column is missing."""
    header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    columns = {}
    for index, value in enumerate(header):
        text = str(value).strip() if value is not None else ""
        if text in known and text not in columns:
            columns[text] = index
    missing = [name for name in required if name not in columns]
    for name in missing:
        plan.errors.append(RowError(sheet_name, 1, name, str(COLUMN_MISSING % {"column": name})))
    return None if missing else columns


def _rows(sheet, sheet_name, plan):
    """(Excel row number, values) for each non-empty row below the header."""
    for count, (row_number, values) in enumerate(
        enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2), start=1
    ):
        if count > MAX_ROWS:
            plan.errors.append(
                RowError(sheet_name, row_number, "", str(TOO_MANY_ROWS % {"limit": MAX_ROWS}))
            )
            return
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield row_number, values


def _label(columns, name):
    """How a column is named in an error: its letter and header, e.g. “C 类别”."""
    if name in columns:
        return f"{get_column_letter(columns[name] + 1)} {name}"
    return name


def _raw(values, index):
    if index is None or index >= len(values):
        return None
    return values[index]


def _text(values, index):
    if index >= len(values) or values[index] is None:
        return ""
    value = values[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).strip()


def _whole_number(value):
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if not number.is_integer() or number < 0:
        return None
    return int(number)


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parent_of(unit):
    return unit.parent


def _parent_name(unit):
    parent = _parent_of(unit)
    return parent.name if parent is not None else ""


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, Unit) and isinstance(b, Unit):
        return a.pk == b.pk
    return a is b


def _header(sheet, columns, widths):
    sheet.append(columns)
    fill = PatternFill("solid", fgColor="FDE2E2")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = fill
    sheet.freeze_panes = "A2"
