"""Streaming .xlsx exports: rows go to a temporary file as they come, never all in memory.

Every export goes through here, and every text that a spreadsheet could take for a formula
(starting with = + - @, a tab or a carriage return) is written as text (`as_text`): a public
answer `=HYPERLINK(...)` comes out as those characters, never as a live formula.
"""

import tempfile
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text(cell):
    """`cell` with a formula-like text kept as text: string type and Excel's quote prefix
    (what typing an apostrophe first does), the value itself unchanged."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_row(sheet, values):
    """`values` ready for `sheet.append`: formula-like texts become text cells."""
    out = []
    for value in values:
        if isinstance(value, Cell):
            out.append(as_text(value))
        elif formula_like(value):
            out.append(as_text(WriteOnlyCell(sheet, value=value)))
        else:
            out.append(value)
    return out


def xlsx_response(*, filename, sheet_title, headers, rows, title=None, widths=None):
    """A FileResponse of a write-only workbook: optional title row, a header row, then `rows`.

    `rows` is any iterable (use `.iterator()` on querysets) of sequences matching `headers`.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[_column_letter(index)].width = width
    if title:
        cell = as_text(WriteOnlyCell(sheet, value=title))
        cell.font = Font(bold=True, size=16)
        cell.alignment = Alignment(horizontal="center")
        sheet.append([cell])
    header_cells = []
    for header in headers:
        cell = as_text(WriteOnlyCell(sheet, value=str(header)))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(safe_row(sheet, row))
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _column_letter(index):
    return get_column_letter(index)
