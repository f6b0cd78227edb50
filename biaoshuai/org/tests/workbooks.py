"""Roster workbooks built in memory for the tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from biaoshuai.org.imports import PERSON_COLUMNS, PERSON_SHEET, UNIT_COLUMNS, UNIT_SHEET


def roster_bytes(units=(), people=(), *, unit_columns=UNIT_COLUMNS, person_columns=PERSON_COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = UNIT_SHEET
    sheet.append(list(unit_columns))
    for row in units:
        sheet.append(list(row))
    sheet = workbook.create_sheet(PERSON_SHEET)
    sheet.append(list(person_columns))
    for row in people:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_upload(units=(), people=(), name="roster.xlsx", **kwargs):
    return SimpleUploadedFile(
        name,
        roster_bytes(units, people, **kwargs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
