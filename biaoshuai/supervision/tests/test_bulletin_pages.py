"""The bulletin .docx as printed: rendered to PDF by LibreOffice, then read page by page
(GB/T 9704-2012: the 版记 at the foot of the last page, which is even; the 附件 note; dates
with no gap between digits and Chinese)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from biaoshuai.supervision.documents import bulletin_docx
from conftest import SCREENSHOTS

from .test_bulletins import _approved, open_docx

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_office = pytest.mark.usefixtures("office_tools")


@pytest.fixture
def office_tools():
    # `make test` installs them (scripts/system-deps.sh); a missing tool fails, never skips.
    assert SOFFICE and POPPLER, "LibreOffice Writer and poppler-utils are needed (make system-deps)"


def test_docx_has_the_annex_note_and_the_closing_section(users, org, campaign):
    bulletin = _approved(users, campaign)
    bulletin.copy_to = "县委办公室，县纪委监委"
    assert bulletin.figures.get("rows"), "the test needs the figures annex"
    document = open_docx(bulletin_docx(bulletin))
    texts = [p.text for p in document.paragraphs]
    # 附件说明 after the body, before the signature; the annex page starts with "附件".
    note = texts.index("附件：各单位活动开展情况一览表")
    assert bulletin.issuer in texts[note + 1 :]  # the signature follows
    assert "附件" in texts[note + 1 :]
    # Two sections: the body, and the 版记 that starts on an even page.
    body, closing = document.sections
    assert closing.start_type.name == "EVEN_PAGE"
    assert "PAGE" in body.footer._element.xml
    assert "PAGE" not in closing.footer._element.xml
    assert "PAGE" not in closing.even_page_footer._element.xml
    # No automatic gap between Chinese and digits.
    normal = document.styles["Normal"].element.pPr
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        assert normal.find(qn(tag)).get(qn("w:val")) == "0"


@needs_office
def test_rendered_pages(users, org, campaign, tmp_path):
    bulletin = _approved(users, campaign)
    bulletin.copy_to = "县委办公室，县纪委监委"
    source = tmp_path / "bulletin.docx"
    source.write_bytes(bulletin_docx(bulletin))
    pdf = _to_pdf(source, tmp_path)

    pages = _pages(pdf)
    assert pages % 2 == 0, f"{pages} pages: the 版记 must fall on an even page"
    last = _text(pdf, pages)
    lines = [line for line in last.splitlines() if line.strip()]
    assert "印发" in lines[-1], last
    assert "抄送" in lines[-2], last
    # The 版记 is at the foot of its page, not at the top: its text starts low on the page.
    top = _first_text_y(pdf, pages)
    assert top > 600, f"the 版记 starts {top:.0f} pt from the top of an 842 pt page"
    body = "".join(_text(pdf, n) for n in range(1, pages))
    assert "附件：各单位活动开展情况一览表" in body.replace(" ", "")
    # "2026年11月18日印发": digits and Chinese close together. A character grid used to snap
    # each run of digits to whole cells (a gap of half a character or more); what remains is
    # LibreOffice's own spacing of mixed scripts, which Word leaves out (autoSpaceDE/DN off).
    words = _words(pdf, pages)
    year = next(i for i, w in enumerate(words) if w[0] == str(bulletin.approved_at.year))
    for (_t, _x0, x1), (_t2, x0, _x1) in zip(
        words[year : year + 5], words[year + 1 : year + 6], strict=True
    ):
        assert x0 - x1 < 4, f"a gap of {x0 - x1:.1f} pt in the date: {words[year : year + 6]}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(pdf), str(SCREENSHOTS / "bulletin_page")],
        check=True,
        timeout=60,
    )


def _to_pdf(source, directory):
    profile = directory / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            # As printed: with the blank page an even-page section may need before it.
            'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}',
            "--outdir",
            str(directory),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
        env={**os.environ, "HOME": str(directory)},
    )
    return source.with_suffix(".pdf")


def _pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def _text(pdf, page):
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _first_text_y(pdf, page):
    """The distance from the top of the page, in points, of the page's first word."""
    html = _bbox(pdf, page)
    return min(float(y) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"', html))


def _words(pdf, page):
    """(text, left, right) of each word on the page, in reading order."""
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', _bbox(pdf, page)
    )
    return [(text, float(x0), float(x1)) for x0, x1, text in found]


def _bbox(pdf, page):
    return subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
