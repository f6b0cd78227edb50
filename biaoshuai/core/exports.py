"""Exports: small ones streamed in the request, large ones written by a background task.

An export registers a builder (`export_builder(key)`): given the user and the page's query
string it returns a `Sheet` (headers, rows as an iterator, the number of rows). The view
calls `export_or_task(request, key)`: up to EXPORT_TASK_ROWS rows the file comes in the
response as before; above, an `ExportJob` is queued and the user sees its progress
(core:export_job), then downloads the file, kept EXPORT_KEEP_HOURS for its owner only.
The task writes with xlsxwriter in constant-memory mode (or CSV when `?format=csv`), so
memory does not grow with the rows.

Every export goes through here, and every text that a spreadsheet could take for a formula
(starting with = + - @, a tab or a carriage return) is written as text (`as_text`): a public
answer `=HYPERLINK(...)` comes out as those characters, never as a live formula.
"""

import csv
import datetime
import io
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import xlsxwriter
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django_tasks import task
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .campaign import active_id, override
from .models import ExportJob

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 5000  # rows between two progress updates of a job

logger = logging.getLogger(__name__)


@dataclass
class Sheet:
    """What an export writes: `rows` is an iterator of sequences matching `headers`;
    `total` the number of rows (a COUNT), used to choose the task and show progress."""

    filename: str
    sheet_title: str
    headers: list
    rows: Iterable
    total: int | None = None
    title: str | None = None
    subtitle: str | None = None
    widths: list | None = None
    label: str = ""


_builders: dict[str, Callable[..., Sheet]] = {}


def export_builder(key):
    """Register `builder(*, user, query) -> Sheet` under `key` (`query`: a QueryDict)."""

    def register(builder):
        _builders[key] = builder
        return builder

    return register


def task_threshold():
    return int(getattr(settings, "EXPORT_TASK_ROWS", 3000))


def export_or_task(request, key):
    """The response of an export page: the file itself for a small export, else a job
    queued and a redirect to its progress page."""
    query = request.GET.copy()
    fmt = "csv" if query.pop("format", [""])[-1:] == ["csv"] else "xlsx"
    sheet = _builders[key](user=request.user, query=query)
    if sheet.total is not None and sheet.total <= task_threshold():
        return csv_response(sheet) if fmt == "csv" else xlsx_response(**_xlsx_kwargs(sheet))
    job = export_job_create(
        owner=request.user, key=key, query=query, fmt=fmt, total=sheet.total, sheet=sheet
    )
    return redirect("core:export_job", pk=job.pk)


def export_job_create(*, owner, key, query, fmt, total=None, sheet=None):
    now = timezone.now()
    job = ExportJob.objects.create(
        owner=owner,
        key=key,
        campaign_id=active_id(),
        label=str(sheet.label or sheet.sheet_title) if sheet else key,
        query=query.urlencode() if hasattr(query, "urlencode") else str(query or ""),
        format=fmt,
        rows_total=total,
        filename=_with_suffix(sheet.filename, fmt) if sheet else "",
        created_at=now,
        expires_at=now + datetime.timedelta(hours=keep_hours()),
    )
    transaction.on_commit(lambda: export_run.enqueue(job_id=job.pk))
    return job


def keep_hours():
    return int(getattr(settings, "EXPORT_KEEP_HOURS", 24))


def export_root() -> Path:
    return Path(getattr(settings, "EXPORT_ROOT", Path(settings.BASE_DIR) / "var" / "exports"))


@task()
def export_run(job_id):
    """Write an export job's file in the background (the queued form of `export_job_run`)."""
    job = export_job_run(job_id)
    return {"state": job.state, "rows": job.rows_done}


def export_job_run(job_id):
    """Write the job's file (the task's body): progress as it goes, then done or failed."""
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.state != ExportJob.State.QUEUED:
        return job
    jobs = ExportJob.objects.filter(pk=job.pk)
    jobs.update(state=ExportJob.State.RUNNING)
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{job.format}"
    target = root / name

    def progress(done):
        jobs.update(rows_done=done)

    try:
        with override(_campaign(job.campaign_id)):
            sheet = _builders[job.key](user=job.owner, query=QueryDict(job.query))
            with target.open("wb") as handle:
                if job.format == "csv":
                    done = csv_write(handle, sheet, progress=progress)
                else:
                    done = xlsx_write(handle, sheet, progress=progress)
    except Exception as exc:  # the user sees "failed", the log has the cause
        logger.exception("export job %s failed", job.pk)
        target.unlink(missing_ok=True)
        jobs.update(state=ExportJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return ExportJob.objects.get(pk=job.pk)
    jobs.update(
        state=ExportJob.State.DONE,
        rows_done=done,
        rows_total=done,
        path=name,
        size=target.stat().st_size,
        filename=_with_suffix(sheet.filename, job.format),
        finished_at=timezone.now(),
    )
    return ExportJob.objects.get(pk=job.pk)


def _campaign(pk):
    if pk is None:
        return None
    return apps.get_model("campaigns", "Campaign").objects.filter(pk=pk).first()


def export_jobs_clean(*, now=None):
    """Delete the jobs past their time and their files; returns how many."""
    now = now or timezone.now()
    old = ExportJob.objects.filter(expires_at__lte=now)
    root = export_root()
    for path in old.exclude(path="").values_list("path", flat=True):
        (root / path).unlink(missing_ok=True)
    return old.delete()[0]


def export_file_response(job):
    path = export_root() / job.path
    content_type = "text/csv; charset=utf-8" if job.format == "csv" else XLSX_TYPE
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    return response


def xlsx_write(handle, sheet, *, progress=None):
    """Write `sheet` as .xlsx to `handle` with xlsxwriter in constant-memory mode (each row
    goes to disk as it is written). Texts are written as texts, never as formulas; a
    formula-like one also gets Excel's quote prefix. Returns the number of rows."""
    export_root().mkdir(parents=True, exist_ok=True)  # its temporary row files go there
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
            "remove_timezone": True,
            "tmpdir": str(export_root()),
        },
    )
    worksheet = workbook.add_worksheet(str(sheet.sheet_title)[:31])
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    datetimes = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for index, width in enumerate(sheet.widths or []):
        worksheet.set_column(index, index, width)
    row = 0
    if sheet.title:
        worksheet.write_string(
            row, 0, str(sheet.title), workbook.add_format({"bold": True, "font_size": 16})
        )
        row += 1
    if sheet.subtitle:
        worksheet.write_string(row, 0, str(sheet.subtitle))
        row += 1
    for col, header in enumerate(sheet.headers):
        worksheet.write_string(row, col, str(header), bold)
    row += 1
    write_string, write_number = worksheet.write_string, worksheet.write_number
    done = 0
    for values in sheet.rows:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if value.startswith(FORMULA_STARTS):
                    write_string(row, col, value, quoted)
                else:
                    write_string(row, col, value)
            elif isinstance(value, bool):
                worksheet.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                write_number(row, col, value)
            elif isinstance(value, datetime.datetime):
                worksheet.write_datetime(
                    row,
                    col,
                    timezone.localtime(value) if timezone.is_aware(value) else value,
                    datetimes,
                )
            elif isinstance(value, datetime.date):
                worksheet.write_datetime(row, col, value)
            else:
                text = str(value)
                write_string(row, col, text, quoted if text.startswith(FORMULA_STARTS) else None)
        row += 1
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    workbook.close()
    return done


def csv_safe(value):
    """A cell for CSV: a formula-like text gets a leading apostrophe, as spreadsheets do
    when one types it, so opening the file never runs it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_write(handle, sheet, *, progress=None):
    """Write `sheet` as UTF-8 CSV (with a BOM, for Excel) to the binary `handle`."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    for line in (sheet.title, sheet.subtitle):
        if line:
            writer.writerow([csv_safe(line)])
    writer.writerow([csv_safe(str(h)) for h in sheet.headers])
    done = 0
    for values in sheet.rows:
        writer.writerow([csv_safe(v) for v in values])
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    text.flush()
    text.detach()
    return done


def csv_response(sheet):
    handle = tempfile.TemporaryFile()
    csv_write(handle, sheet)
    handle.seek(0)
    filename = _with_suffix(sheet.filename, "csv")
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _with_suffix(filename, fmt):
    stem, _dot, _ext = str(filename).rpartition(".")
    return f"{stem or filename}.{fmt}"


def _xlsx_kwargs(sheet):
    return {
        "filename": _with_suffix(sheet.filename, "xlsx"),
        "sheet_title": sheet.sheet_title,
        "headers": sheet.headers,
        "rows": sheet.rows,
        "title": sheet.title,
        "widths": sheet.widths,
    }


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
