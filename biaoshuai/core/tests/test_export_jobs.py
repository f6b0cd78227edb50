"""Large exports run as a task: the request returns at once, the task delivers the file,
which only its owner may see and download; formula-like texts stay texts."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from biaoshuai.core.exports import FORMULA_STARTS, Sheet, csv_write, export_root, xlsx_write
from biaoshuai.core.models import ExportJob
from biaoshuai.core.testing import ANONYMOUS, assert_access, login


@pytest.fixture(autouse=True)
def _exports(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.EXPORT_TASK_ROWS = 2  # the org fixture's few cadres make a "large" export


def _start(client, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("org:person_export"), params)
    assert response.status_code == 302  # at once: to the progress page
    job = ExportJob.objects.latest("id")
    assert response.url == reverse("core:export_job", args=[job.pk])
    return ExportJob.objects.get(pk=job.pk)


def test_a_large_export_is_a_task_that_delivers_the_file(
    client, users, org, django_capture_on_commit_callbacks
):
    login(client, users.office)
    job = _start(client, django_capture_on_commit_callbacks)
    assert job.owner == users.office and job.state == ExportJob.State.DONE
    assert job.rows_done == job.rows_total == 4 and job.size > 0
    page = client.get(reverse("core:export_job", args=[job.pk]))
    assert page.status_code == 200 and reverse("core:export_download", args=[job.pk]) in (
        page.content.decode()
    )
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 8 and [r[0] for r in rows[1:]] == ["王建国", "李秀英", "刘芳", "张伟"]
    assert rows[1][5] == "13812341234"


def test_the_list_filters_and_csv_carry_over(
    client, users, org, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_TASK_ROWS = 0
    login(client, users.office)
    job = _start(client, django_capture_on_commit_callbacks, q="王", format="csv")
    assert job.format == "csv" and job.filename.endswith(".csv")
    text = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    lines = text.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("王建国,")


def test_progress_partial_polls_until_done(client, users, org):
    login(client, users.office)
    job = ExportJob.objects.create(
        owner=users.office,
        key="org.cadres",
        format="xlsx",
        rows_total=200,
        rows_done=50,
        state=ExportJob.State.RUNNING,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    page = client.get(reverse("core:export_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html
    assert 'hx-trigger="every 1s"' in html and "width: 25%" in html
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_only_the_owner_sees_the_job_and_its_file(
    client, users, org, django_capture_on_commit_callbacks
):
    login(client, users.office)
    job = _start(client, django_capture_on_commit_callbacks)
    for name in ("core:export_job", "core:export_download"):
        url = reverse(name, args=[job.pk])
        assert_access(
            client,
            url,
            {
                ANONYMOUS: 302,
                users.leader: 404,  # sees every cadre, but it is not their file
                users.liaison_lishi: 404,
                users.sysadmin: 404,
                users.office: 200,
            },
        )


def test_the_export_itself_keeps_its_access_rules(client, users, org):
    assert_access(
        client,
        reverse("org:person_export"),
        {ANONYMOUS: 302, users.norole: 403, users.sysadmin: 404, users.office: 302},
    )


def test_old_jobs_and_their_files_are_cleaned(
    client, users, org, django_capture_on_commit_callbacks
):
    login(client, users.office)
    job = _start(client, django_capture_on_commit_callbacks)
    path = export_root() / job.path
    assert path.exists()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(reverse("core:export_job", args=[job.pk])).status_code == 404
    call_command("exports_clean", stdout=StringIO())
    assert not ExportJob.objects.filter(pk=job.pk).exists() and not path.exists()


def test_formula_like_texts_stay_texts(tmp_path, settings):
    settings.EXPORT_ROOT = tmp_path
    evil = [start + 'HYPERLINK("http://x","y")' for start in FORMULA_STARTS]
    sheet = Sheet(
        filename="t.xlsx",
        sheet_title="t",
        headers=["a"],
        rows=[[value, 1, datetime.date(2026, 11, 18)] for value in evil] + [["plain", None, ""]],
    )
    handle = BytesIO()
    assert xlsx_write(handle, sheet) == len(evil) + 1
    handle.seek(0)
    rows = list(load_workbook(handle).active.iter_rows(min_row=2))
    for cell, value in zip((row[0] for row in rows), evil, strict=False):
        # (openpyxl reads a carriage return back in Excel's escaped form)
        assert cell.value in (value, value.replace("\r", "_x000D_"))
        assert cell.data_type == "s" and cell.quotePrefix
    assert rows[0][2].value.date() == datetime.date(2026, 11, 18)
    out = BytesIO()
    csv_write(out, Sheet(filename="t", sheet_title="t", headers=["=h"], rows=[[evil[0]]]))
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert lines == ["'=h", '"\'=HYPERLINK(""http://x"",""y"")"']
