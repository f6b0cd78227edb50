"""Practice fixtures: the seed campaign made current, and records built through the services."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.practice import services

ANSWERS = {
    "constraints": "习惯按老办法选人用人，怕担风险、求稳怕乱的思想仍然存在。",
    "misfits": "干部考核重显绩、轻潜绩，与科学发展观的要求不相适应。",
    "room_to_innovate": "推行村级党组织书记公推直选，探索基层党建工作新机制。",
}
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date(2026, 1, 1),
        by=None,
        make_current=True,
    )


def discussion(unit, *, by=None, participants=(), answers=None, **fields):
    values = {
        "title": f"{unit.name}解放思想大讨论",
        "held_on": DAY,
        "place": f"{unit.name}会议室",
        "host": "党委书记",
        "attendance": max(len(participants), 12),
        "conclusions": "形成三条共识。",
        **fields,
    }
    return services.discussion_create(
        by=by, unit=unit, answers=answers or ANSWERS, participants=participants, **values
    )


def pairing(cadre, *, by=None, **fields):
    values = {
        "paired_name": "李市镇红星村",
        "paired_kind": "village",
        "paired_address": "李市镇红星村村委会",
        "starts_on": DAY,
        "goals": "帮助村党支部规范“三会一课”。",
        **fields,
    }
    return services.pairing_create(by=by, cadre=cadre, **values)


def visit(pairing_, *, by=None, files=(), **fields):
    values = {"visited_on": DAY, "activities": "走访困难党员三户。", **fields}
    return services.visit_create(by=by, pairing=pairing_, files=files, **values)


def placement(cadre, *, by=None, kind="enterprise", **fields):
    values = {
        "host": "荆门市某化工有限公司",
        "starts_on": DAY,
        "ends_on": DAY + datetime.timedelta(days=30),
        "learning": "学习企业精细化管理。",
        **fields,
    }
    return services.placement_create(by=by, cadre=cadre, kind=kind, **values)


def png_file(name="photo.png", size=None):
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * (size or 64)
    return SimpleUploadedFile(name, data, content_type="image/png")


def pdf_file(name="report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def docx_file(name="report.docx"):
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
