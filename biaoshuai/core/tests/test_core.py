import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.exports import xlsx_response
from biaoshuai.core.registry import Metric, Registry
from biaoshuai.core.testing import ANONYMOUS, assert_access, login
from biaoshuai.core.uploads import validate_upload


def test_upload_refuses_wrong_extension():
    file = SimpleUploadedFile("roster.exe", b"MZ....")
    with pytest.raises(ValidationError) as error:
        validate_upload(file, extensions=["xlsx"])
    assert error.value.code == "file_type"


def test_upload_refuses_renamed_file():
    file = SimpleUploadedFile("roster.xlsx", b"not a zip at all")
    with pytest.raises(ValidationError) as error:
        validate_upload(file, extensions=["xlsx"])
    assert error.value.code == "file_content"


@override_settings(UPLOAD_MAX_MB=1)
def test_upload_refuses_large_file():
    file = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_upload(file, extensions=["pdf"])
    assert error.value.code == "file_size"


def test_upload_accepts_good_file():
    file = SimpleUploadedFile("evidence.pdf", b"%PDF-1.7 ...")
    assert validate_upload(file, extensions=["pdf", "docx"]) is file


def test_xlsx_response_streams_title_headers_and_rows():
    rows = ((f"名{i}", i) for i in range(1000))
    response = xlsx_response(
        filename="名单.xlsx",
        sheet_title="名单",
        headers=["姓名", "序号"],
        rows=rows,
        title="干部名单",
        widths=[12, 8],
    )
    assert "filename*=UTF-8''%E5%90%8D%E5%8D%95.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = list(workbook["名单"].values)
    assert values[0][0] == "干部名单"
    assert values[1] == ("姓名", "序号")
    assert values[-1] == ("名999", 999)
    assert len(values) == 1002


def test_registry_refuses_a_key_twice():
    registry = Registry()
    registry.register(Metric("x.count", "X", total=lambda **kw: 1))
    with pytest.raises(ValueError):
        registry.register(Metric("x.count", "Y", total=lambda **kw: 2))


def test_home_requires_login_and_shows_registered_figures(client, users):
    assert_access(
        client,
        reverse("core:home"),
        {ANONYMOUS: 302, users.norole: 200, users.liaison_lishi: 200, users.office: 200},
    )
    login(client, users.office)
    response = client.get(reverse("core:home"))
    panel = dict(response.context["panels"])["core/panels/figures.html"]
    figures = {f["metric"].key: f["figure"].value for f in panel["figures"]}
    assert figures["org.cadres"] == 4


def test_user_without_role_is_told_so(client, users):
    login(client, users.norole)
    response = client.get(reverse("core:home"))
    assert response.context["panels"] == []
    assert "尚未被分配角色" in response.content.decode()


def test_no_page_loads_anything_from_the_internet():
    """Government intranets have no internet: templates and CSS reference only our files."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"""(src|href)=["']https?://|url\(["']?https?://|@import\s+["']?https?://"""
    )
    offenders = [
        str(path.relative_to(root))
        for path in list(root.rglob("*.html")) + list(root.rglob("*.css"))
        if pattern.search(path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert offenders == []


def test_unknown_page_answers_a_chinese_404(client, users):
    login(client, users.office)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "不存在" in response.content.decode()


def test_every_export_writes_formula_like_text_as_text():
    import io

    from openpyxl import load_workbook

    from biaoshuai.core.exports import xlsx_response

    texts = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']
    response = xlsx_response(
        filename="x.xlsx",
        sheet_title="=A1",
        title="=cmd|' /C calc'!A0",
        headers=["=h"],
        rows=[[t, 5, -5, "plain"] for t in texts],
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    for text in [*texts, "=cmd|' /C calc'!A0", "=h"]:
        assert by_value[text].data_type == "s" and by_value[text].quotePrefix
    assert by_value[-5].data_type == "n" and not by_value["plain"].quotePrefix
