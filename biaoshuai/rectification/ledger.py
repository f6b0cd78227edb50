"""The ledger workbook (整改台账): its layout, the streamed export, and reading an import.

The export and the import share one layout, so an exported ledger imports again. Headers
stay in Chinese whatever the interface language: offices print and fill it in Chinese.
Reading never writes: `ledger_read` returns the rows to create and every error found
(row, column, reason); `services.ledger_import` saves a plan with no errors, all at once.
"""

import datetime
import tempfile
from copy import copy
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.properties import PageSetupProperties

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.exports import Sheet, as_text, export_builder
from biaoshuai.core.scope import MANAGE
from biaoshuai.core.uploads import XLSX_DAMAGED
from biaoshuai.org.models import Unit

from . import selectors
from .forms import LedgerFilterForm
from .models import RectificationItem

# (header, width) in the order of the sheet.
NO, PROBLEM_UNIT, DIMENSION, PROBLEM, MEASURE, PARENT, WEIGHT = (
    "序号",
    "问题所属单位",
    "问题类别",
    "存在问题",
    "整改措施",
    "上级措施序号",
    "权重",
)
UNIT, LEADER, PERSON, KIND, DEADLINE, CRITERIA, PROGRESS, STATE, CLOSED_ON = (
    "责任单位",
    "责任领导",
    "责任人",
    "整改类型",
    "完成时限",
    "完成标准",
    "整改进度(%)",
    "状态",
    "销号日期",
)
COLUMNS = [
    (NO, 7),
    (PROBLEM_UNIT, 16),
    (DIMENSION, 11),
    (PROBLEM, 36),
    (MEASURE, 40),
    (PARENT, 8),
    (WEIGHT, 6),
    (UNIT, 16),
    (LEADER, 10),
    (PERSON, 10),
    (KIND, 10),
    (DEADLINE, 12),
    (CRITERIA, 26),
    (PROGRESS, 9),
    (STATE, 10),
    (CLOSED_ON, 12),
]
HEADERS = [c for c, _w in COLUMNS]
HEADER_ROW = 3  # title, sub-title, then the header row
STATE_LABELS = {
    RectificationItem.State.PLANNED: "未开始",
    RectificationItem.State.IN_PROGRESS: "整改中",
    RectificationItem.State.SUBMITTED: "待验收",
    RectificationItem.State.RETURNED: "已退回",
    RectificationItem.State.CLOSED: "已销号",
}
STATE_BY_LABEL = {v: k for k, v in STATE_LABELS.items()}
MAX_ROWS = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FILE_UNREADABLE = gettext_lazy("The file cannot be read as an Excel workbook (.xlsx).")
COLUMN_MISSING = gettext_lazy("The column “%(column)s” is missing from the header row.")
REQUIRED = gettext_lazy("This cell is required.")
UNIT_NOT_FOUND = gettext_lazy("No unit named “%(name)s” that you manage.")
UNIT_AMBIGUOUS = gettext_lazy("Several units you manage are named “%(name)s”.")
UNIT_OUTSIDE = gettext_lazy("The responsible unit must be the problem's unit or below it.")
CHOICE_INVALID = gettext_lazy("Unknown value “%(value)s”; use one of: %(allowed)s.")
DATE_INVALID = gettext_lazy("“%(value)s” is not a date; write it like 2026-05-01.")
NUMBER_INVALID = gettext_lazy("Write a whole number from %(low)s to %(high)s.")
PARENT_INVALID = gettext_lazy("No earlier row with 序号 “%(value)s” under the same problem.")
NO_DUPLICATE = gettext_lazy("The 序号 “%(value)s” is used by an earlier row.")
CLOSED_ON_REQUIRED = gettext_lazy("A closed item needs its close-out date.")
CLOSED_ON_NOT_CLOSED = gettext_lazy("Only a closed item has a close-out date.")
TOO_MANY_ROWS = gettext_lazy("At most %(limit)s rows.")
NO_ROWS = gettext_lazy("The workbook has no rows under the header.")


# Export


def ledger_values(rows, *, dims, kinds):
    """The ledger's cells for each item of `rows`, in COLUMNS order; a sub-item shows its
    parent's 序号 (remembered only while its problem's items come, as they come together)."""
    numbers, problem_id = {}, None
    for index, item in enumerate(rows, start=1):
        if item.problem_id != problem_id:
            numbers, problem_id = {}, item.problem_id
        numbers[item.pk] = index
        problem = item.problem
        yield [
            index,
            problem.unit.name,
            dims.get(item.dimension, item.dimension),
            problem.description,
            item.measure,
            numbers.get(item.parent_id, "") if item.parent_id else "",
            item.weight,
            item.unit.name,
            item.leader_name,
            item.person_name,
            kinds.get(item.kind, item.kind),
            item.deadline,
            item.criteria,
            item.progress,
            STATE_LABELS[item.state],
            item.closed_on,
        ]


@export_builder("rectification.ledger")
def ledger_sheet(*, user, query):
    """The ledger as the page filters it (`query`), for a large export's task."""
    campaign = campaign_current()
    form = LedgerFilterForm(query or None, user=user, campaign=campaign)
    f = {}
    if form.is_bound:
        form.is_valid()
        f = form.cleaned_data
    if campaign is None:
        items = RectificationItem.objects.none()
    else:
        items = selectors.ledger_items(
            user=user,
            campaign=campaign,
            unit=f.get("unit"),
            dimension=f.get("dimension") or "",
            state=f.get("state") or "",
            urgency=f.get("urgency") or "",
            q=f.get("q") or "",
        )
    today = timezone.localdate()
    dims = dict(campaign.choices("problem_dimensions")) if campaign else {}
    kinds = dict(campaign.choices("rectification_kinds")) if campaign else {}
    unit = f.get("unit")
    name = (campaign.short_name or campaign.name) if campaign else ""
    return Sheet(
        filename=f"整改台账-{today:%Y%m%d}.xlsx",
        sheet_title="整改台账",
        label="整改台账",
        title=f"{name}整改台账",
        subtitle=f"单位：{unit.name if unit is not None else '全部单位'}　　　　日期：{today:%Y年%m月%d日}",
        headers=HEADERS,
        rows=ledger_values(selectors.ledger_export_rows(items=items), dims=dims, kinds=kinds),
        total=items.count(),
        widths=[w for _c, w in COLUMNS],
    )


def ledger_xlsx(*, rows, campaign, unit=None, today=None):
    """A print-ready workbook of the items `rows` yields (restricted, filtered, in ledger
    order: `selectors.ledger_export_rows`), written row by row to a temporary file.

    Memory stays flat whatever the number of rows: the workbook is write-only, the rows come
    from a chunked iterator, every body cell shares one style, and a parent's 序号 is
    remembered only while its problem's rows are written (a sub-item is under the same
    problem as its parent, and the ledger order keeps a problem's items together).
    """
    today = today or timezone.localdate()
    dims = dict(campaign.choices("problem_dimensions"))
    kinds = dict(campaign.choices("rectification_kinds"))
    scope_name = unit.name if unit is not None else "全部单位"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="整改台账")
    for index, (_h, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(value, *, font=None, align=None):
        c = WriteOnlyCell(sheet, value=value)
        if font:
            c.font = font
        c.alignment = align or wrap
        c.border = border
        return c

    # Setting a style looks it up in the workbook's style tables; do it once and give every
    # body cell a copy of the resulting style ids (a date's carries its number format).
    text_style = cell(None)._style
    date_style = cell(today)._style

    def body(value, style=text_style):
        c = WriteOnlyCell(sheet, value=value)
        c._style = copy(style)
        return as_text(c)

    title = as_text(WriteOnlyCell(sheet, value=f"{campaign.short_name or campaign.name}整改台账"))
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([title])
    sub = as_text(
        WriteOnlyCell(sheet, value=f"单位：{scope_name}　　　　日期：{today:%Y年%m月%d日}")
    )
    sub.alignment = Alignment(horizontal="center")
    sheet.append([sub])
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.append([cell(h, font=bold, align=center) for h in HEADERS])
    for values in ledger_values(rows, dims=dims, kinds=kinds):
        deadline, closed_on = values[11], values[15]
        sheet.append(
            [body(value) for value in values[:11]]
            + [body(deadline, date_style)]
            + [body(value) for value in values[12:15]]
            + [body(closed_on, date_style) if closed_on else body("")]
        )
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    filename = f"整改台账-{today:%Y%m%d}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# Import


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class PlannedItem:
    row: int
    number: str
    problem_key: tuple  # (problem unit id, dimension, description)
    values: dict
    parent_number: str = ""


@dataclass
class LedgerPlan:
    items: list[PlannedItem] = field(default_factory=list)
    problem_units: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.items)


def ledger_read(*, file, user, campaign):
    """Read and check every row of an uploaded ledger; nothing is written."""
    plan = LedgerPlan()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, *XLSX_DAMAGED):
        plan.errors.append(RowError(0, "", str(FILE_UNREADABLE)))
        return plan
    try:
        return _read_sheet(plan, workbook.worksheets[0], user, campaign)
    except XLSX_DAMAGED:  # a damaged sheet shows only when its rows are read
        return LedgerPlan(errors=[RowError(0, "", str(FILE_UNREADABLE))])
    finally:
        workbook.close()


def _read_sheet(plan, sheet, user, campaign):
    rows = sheet.iter_rows(values_only=True)
    header_at, header = _find_header(rows)
    if header is None:
        plan.errors.append(RowError(0, NO, str(COLUMN_MISSING % {"column": NO})))
        return plan
    index = {name: i for i, name in enumerate(header) if name}
    for name in HEADERS:
        if name not in index:
            plan.errors.append(RowError(header_at, name, str(COLUMN_MISSING % {"column": name})))
    if plan.errors:
        return plan
    units = _units(user)
    dims = {v: k for k, v in campaign.choices("problem_dimensions")}
    kinds = {v: k for k, v in campaign.choices("rectification_kinds")}
    seen = {}  # 序号 → problem key
    for row_no, row in enumerate(rows, start=header_at + 1):
        if row is None or all(v in (None, "") for v in row):
            continue
        if len(plan.items) >= MAX_ROWS:
            plan.errors.append(RowError(row_no, "", str(TOO_MANY_ROWS % {"limit": MAX_ROWS})))
            break
        _read_row(plan, row_no, row, index, units, dims, kinds, seen)
    if not plan.items and not plan.errors:
        plan.errors.append(RowError(header_at + 1, "", str(NO_ROWS)))
    return plan


def _read_row(plan, row_no, row, index, units, dims, kinds, seen):
    errors = []

    def text(column, required=True):
        value = row[index[column]] if index[column] < len(row) else None
        value = "" if value is None else str(value).strip()
        if required and not value:
            errors.append(RowError(row_no, column, str(REQUIRED)))
        return value

    def raw(column):
        return row[index[column]] if index[column] < len(row) else None

    number = text(NO)
    if isinstance(raw(NO), float) and raw(NO).is_integer():
        number = str(int(raw(NO)))
    problem_unit = _unit(text(PROBLEM_UNIT), units, PROBLEM_UNIT, row_no, errors)
    dimension = _choice(text(DIMENSION), dims, DIMENSION, row_no, errors)
    description = text(PROBLEM)
    measure = text(MEASURE)
    parent = text(PARENT, required=False)
    if isinstance(raw(PARENT), float) and raw(PARENT).is_integer():
        parent = str(int(raw(PARENT)))
    weight = _number(raw(WEIGHT), WEIGHT, 1, 100, row_no, errors, default=1)
    unit = _unit(text(UNIT), units, UNIT, row_no, errors)
    kind = _choice(text(KIND), kinds, KIND, row_no, errors)
    deadline = _date(raw(DEADLINE), DEADLINE, row_no, errors, required=True)
    progress = _number(raw(PROGRESS), PROGRESS, 0, 100, row_no, errors, default=0)
    state = _choice(text(STATE, required=False), STATE_BY_LABEL, STATE, row_no, errors) or (
        RectificationItem.State.PLANNED
    )
    closed_on = _date(raw(CLOSED_ON), CLOSED_ON, row_no, errors, required=False)
    if state == RectificationItem.State.CLOSED and closed_on is None:
        errors.append(RowError(row_no, CLOSED_ON, str(CLOSED_ON_REQUIRED)))
    if state and state != RectificationItem.State.CLOSED and closed_on is not None:
        errors.append(RowError(row_no, CLOSED_ON, str(CLOSED_ON_NOT_CLOSED)))
    if problem_unit and unit and not unit.path.startswith(problem_unit.path):
        errors.append(RowError(row_no, UNIT, str(UNIT_OUTSIDE)))
    key = (problem_unit.pk if problem_unit else None, dimension, description)
    if number and number in seen:
        errors.append(RowError(row_no, NO, str(NO_DUPLICATE % {"value": number})))
    if parent and seen.get(parent) != key:
        errors.append(RowError(row_no, PARENT, str(PARENT_INVALID % {"value": parent})))
    if number:
        seen.setdefault(number, key)
    if errors:
        plan.errors.extend(errors)
        return
    plan.problem_units[key] = problem_unit
    plan.items.append(
        PlannedItem(
            row=row_no,
            number=number,
            problem_key=key,
            parent_number=parent,
            values={
                "measure": measure,
                "unit": unit,
                "leader_name": text(LEADER, required=False),
                "person_name": text(PERSON, required=False),
                "kind": kind,
                "deadline": deadline,
                "criteria": text(CRITERIA, required=False),
                "weight": weight,
                "progress": progress,
                "state": state,
                "closed_on": closed_on,
            },
        )
    )


def _find_header(rows):
    for row_no, row in enumerate(rows, start=1):
        values = [str(v).strip() if v is not None else "" for v in (row or ())]
        if NO in values and MEASURE in values:
            return row_no, values
        if row_no >= 10:
            break
    return 0, None


def _units(user):
    by_name = {}
    for unit in Unit.objects.restrict(user, MANAGE).only("pk", "name", "path"):
        by_name.setdefault(unit.name, []).append(unit)
    return by_name


def _unit(name, units, column, row_no, errors):
    if not name:
        return None
    found = units.get(name, [])
    if len(found) == 1:
        return found[0]
    message = UNIT_AMBIGUOUS if found else UNIT_NOT_FOUND
    errors.append(RowError(row_no, column, str(message % {"name": name})))
    return None


def _choice(value, mapping, column, row_no, errors):
    if not value:
        return ""
    if value in mapping:
        return mapping[value]
    errors.append(
        RowError(
            row_no, column, str(CHOICE_INVALID % {"value": value, "allowed": "、".join(mapping)})
        )
    )
    return ""


def _number(value, column, low, high, row_no, errors, *, default):
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not number.is_integer() or not low <= number <= high:
        errors.append(RowError(row_no, column, str(NUMBER_INVALID % {"low": low, "high": high})))
        return default
    return int(number)


def _date(value, column, row_no, errors, *, required):
    if value in (None, ""):
        if required:
            errors.append(RowError(row_no, column, str(REQUIRED)))
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.append(RowError(row_no, column, str(DATE_INVALID % {"value": value})))
        return None
