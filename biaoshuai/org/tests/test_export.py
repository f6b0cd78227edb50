"""The cadre list as .xlsx: same filters as the list, scoped, phones masked per the rule."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.testing import login


def _rows(client, **params):
    response = client.get(reverse("org:person_export"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_content_for_the_office(client, users, org):
    login(client, users.office)
    header, rows = _rows(client)
    assert len(header) == 8
    assert [r[0] for r in rows] == ["王建国", "李秀英", "刘芳", "张伟"]
    wang = rows[0]
    assert wang[1] == "李市镇" and wang[5] == "13812341234"


def test_export_follows_the_list_filters(client, users, org):
    login(client, users.office)
    _, rows = _rows(client, unit=org.zengji.pk)
    assert {r[0] for r in rows} == {"张伟", "刘芳"}
    _, rows = _rows(client, q="李秀")
    assert [r[0] for r in rows] == ["李秀英"]


def test_export_masks_phones_for_those_who_only_view(client, users, org):
    login(client, users.leader)
    _, rows = _rows(client)
    assert {r[5] for r in rows} == {"138****1234", "139****1111", "137****2222", "136****3333"}
    login(client, users.cadre_lishi)
    _, rows = _rows(client)
    assert {r[5] for r in rows} == {"138****1234", "139****1111"}
