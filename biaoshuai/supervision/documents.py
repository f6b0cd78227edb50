"""A bulletin as a .docx official document laid out to GB/T 9704-2012.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm);
22 lines (a line grid) of 28 characters (glyphs condensed to fit); title 2号 方正小标宋简体; body 3号
仿宋_GB2312; first-level headings 黑体, second-level 楷体_GB2312; the issuing office's mark and
the separator line in red; page numbers "— 1 —" in 4号 宋体, right on odd pages and left on
even ones; a "附件：" line after the body when there is an attachment; the closing block
(版记) with 抄送 and 印发 lines between rules, at the foot of the last page, which is even (the
back of the last sheet, §7.5): a section of its own that starts on an even page, with no page
number (nor has the blank page a word processor may put before it). No automatic
space between Chinese and digits ("2026年10月", not "2026 年10 月"). Font names are written
whether or not the fonts are installed where the file is made.
"""

import copy
import io
import re

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
SMALL_SIZE = Pt(14)  # 4号
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
# The grid: 22 lines (linePitch in twips). A line-only grid: with a character grid as well
# LibreOffice snaps each run of digits to whole cells ("2026 年10 月"); charSpace (1/4096 pt,
# relative to the 16 pt body: 156 mm / 28 = 15.79 pt a character) stays for Word.
GRID_LINE_PITCH = "579"
GRID_CHAR_SPACE = "-848"
# Glyphs at 98 % width: 28 characters of 16 pt then fit the 156 mm line in every word
# processor.
GLYPH_SCALE = "98"
# Elements that must follow the ones this module adds, in the schema's order.
_PPR_TAIL = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_SNAP = _PPR_TAIL
_AFTER_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    *_PPR_TAIL,
)
_AFTER_SCALE = (
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。]*。")
FIGURE_COLUMNS = [
    ("supervision.overdue", "逾期督办"),
    ("rectification.overdue", "逾期整改"),
    ("reports.missing", "未报汇报"),
    ("publicity.pieces", "宣传稿件"),
]
ANNEX_TITLE = "各单位活动开展情况一览表"
# Room left under the 版记 for the rules' widths, so it never spills onto another page.
CLOSING_SLACK = Pt(16)


def bulletin_docx(bulletin):
    """The bulletin's .docx as bytes."""
    document = Document()
    _page_setup(document)
    _styles(document)

    _blank(document, 1)
    for line in _mark_lines(bulletin.issuer):
        p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=None, grid=False)
        _run(p, line, font=TITLE_FONT, size=_mark_size(line), color=RED)
    _blank(document, 1)
    number = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(number, bulletin.document_number, font=BODY_FONT, size=BODY_SIZE)
    separator = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(separator, "bottom", size=18, color=RED_HEX)
    _blank(document, 1)

    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=Pt(36), grid=False)
    _run(title, bulletin.title, font=TITLE_FONT, size=TITLE_SIZE)
    _blank(document, 1)
    if bulletin.addressees:
        p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _run(p, bulletin.addressees, font=BODY_FONT, size=BODY_SIZE)

    for heading, paragraphs in bulletin.sections():
        if heading:
            p = _paragraph(document, indent=True)
            _run(p, heading, font=HEADING_FONT, size=BODY_SIZE)
        for text in paragraphs:
            _body_paragraph(document, text)

    if bulletin.figures.get("rows"):
        # 附件说明: a blank line, then "附件：" two characters in, before the signature.
        _blank(document, 1)
        note = _paragraph(document, indent=True)
        _run(note, f"附件：{ANNEX_TITLE}", font=BODY_FONT, size=BODY_SIZE)
    _blank(document, 2)
    signer = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _run(signer, bulletin.issuer, font=BODY_FONT, size=BODY_SIZE)
    date = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _run(
        date,
        _date_text(bulletin.approved_at or bulletin.created_at),
        font=BODY_FONT,
        size=BODY_SIZE,
    )

    _figures_annex(document, bulletin)
    _closing_block(document, bulletin)

    handle = io.BytesIO()
    document.save(handle)
    return handle.getvalue()


def docx_filename(bulletin):
    number = f"{bulletin.number_year}-{bulletin.number}" if bulletin.number else "draft"
    return f"通报-{bulletin.period_start:%Y-%m}-{number}.docx"


def set_run_font(run, name, size=None, *, bold=None, color=None):
    """The run's Latin and East Asian font, size and colour, written into the run itself."""
    run.font.name = name
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    if r_pr.find(qn("w:w")) is None:
        scale = OxmlElement("w:w")
        scale.set(qn("w:val"), GLYPH_SCALE)
        r_pr.insert_element_before(scale, *_AFTER_SCALE)
    return run


def _page_setup(document):
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28) - Mm(7)
    document.settings.odd_and_even_pages_header_footer = True
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), GRID_LINE_PITCH)
    grid.set(qn("w:charSpace"), GRID_CHAR_SPACE)
    sect_pr.append(grid)
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _styles(document):
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    _no_autospace(normal.element)


def _no_autospace(element):
    """No automatic gap between Chinese and Latin letters or digits, which Word and LibreOffice
    add by default; LibreOffice reads it on the paragraph only, so each paragraph says it."""
    p_pr = element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        if p_pr.find(qn(tag)) is None:
            flag = OxmlElement(tag)
            flag.set(qn("w:val"), "0")
            p_pr.insert_element_before(
                flag, "w:bidi", "w:adjustRightInd", "w:snapToGrid", *_PPR_TAIL
            )


def _page_number_footer(footer, align):
    """“— N —” in 4号宋体, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    _no_autospace(p._p)
    p.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    set_run_font(p.add_run("— "), PAGE_NUMBER_FONT, SMALL_SIZE)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = set_run_font(p.add_run(), PAGE_NUMBER_FONT, SMALL_SIZE)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
    set_run_font(p.add_run(" —"), PAGE_NUMBER_FONT, SMALL_SIZE)


def _paragraph(
    document_or_cell, *, align=None, indent=False, spacing=LINE_PITCH, right_chars=0, grid=True
):
    """A paragraph; `grid=False` for large type (mark, title) that should not snap to the
    character grid, where each large character would take several cells."""
    p = document_or_cell.add_paragraph()
    _no_autospace(p._p)
    if not grid:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        p._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP)
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)
    if right_chars:
        fmt.right_indent = Pt(16 * right_chars)
    if spacing is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = spacing
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return p


def _run(paragraph, text, *, font, size, color=None, bold=None):
    return set_run_font(paragraph.add_run(text), font, size, color=color, bold=bold)


def _body_paragraph(document, text):
    """A body paragraph; a leading “（一）…。” is the second-level heading, in 楷体."""
    p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    match = SUBHEADING.match(text)
    if match:
        _run(p, match.group(0), font=SUBHEADING_FONT, size=BODY_SIZE)
        text = text[match.end() :]
    if text:
        _run(p, text, font=BODY_FONT, size=BODY_SIZE)
    return p


def _blank(document, lines):
    for _ in range(lines):
        _paragraph(document)


def _border(paragraph, side, *, size, color, space=1):
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.insert_element_before(borders, *_AFTER_BORDERS)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _mark_lines(issuer):
    lines = [line.strip() for line in (issuer or "").splitlines() if line.strip()]
    return lines or [""]


def _mark_size(line):
    """As large as fits the 156 mm type area on one line, at most 小初 (36 pt)."""
    return Pt(max(22, min(36, int(420 / max(len(line), 1)))))


def _date_text(moment):
    day = timezone.localtime(moment).date() if hasattr(moment, "tzinfo") else moment
    return f"{day.year}年{day.month}月{day.day}日"


def _figures_annex(document, bulletin):
    """附件: the units' ranking and figures, on a page of its own."""
    rows = bulletin.figures.get("rows", [])
    if not rows:
        return
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    label = _paragraph(document)
    _run(label, "附件", font=HEADING_FONT, size=BODY_SIZE)
    caption = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, grid=False)
    _run(caption, ANNEX_TITLE, font=TITLE_FONT, size=Pt(18))
    metrics = bulletin.figures.get("metrics", {})
    columns = [(k, name) for k, name in FIGURE_COLUMNS if k in metrics]
    headers = ["名次", "单位", "综合得分", *(name for _k, name in columns)]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(14), Mm(52), Mm(22)]
    widths += [(Mm(156) - sum(widths, Mm(0))) // max(len(columns), 1)] * len(columns)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, font=HEADING_FONT)
    for row in rows:
        values = [
            "" if row.get("rank") is None else str(row["rank"]),
            row["name"],
            "" if row.get("total") is None else str(row["total"]),
            *(_figure(metrics[k].get(str(row["id"]))) for k, _name in columns),
        ]
        for cell, text, width in zip(table.add_row().cells, values, widths, strict=True):
            cell.width = width
            _cell(cell, text, font=BODY_FONT)


def _cell(cell, text, *, font):
    p = cell.paragraphs[0]
    _no_autospace(p._p)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(20)
    set_run_font(p.add_run(text), font, Pt(10.5))


def _figure(value):
    return "—" if value is None else str(value)


def _closing_block(document, bulletin):
    """版记: 抄送 and 印发 lines between rules, in 4号仿宋, at the foot of the last, even page."""
    _closing_section(document)
    # The page is empty above: one spacer of exact height puts the lines at the foot, the
    # same in every word processor (LibreOffice ignores a section's vertical alignment).
    lines = 2 if bulletin.copy_to else 1
    _paragraph(document, spacing=Emu(Mm(225) - Pt(28) * lines - CLOSING_SLACK), grid=False)
    if bulletin.copy_to:
        copy_line = _paragraph(document, spacing=Pt(28))
        copy_line.paragraph_format.left_indent = Pt(14)
        copy_line.paragraph_format.right_indent = Pt(14)
        _border(copy_line, "top", size=8, color="000000")
        _border(copy_line, "bottom", size=4, color="000000")
        _run(copy_line, f"抄送：{bulletin.copy_to}。", font=BODY_FONT, size=SMALL_SIZE)
    printed = _paragraph(document, spacing=Pt(28))
    printed.paragraph_format.left_indent = Pt(14)
    printed.paragraph_format.right_indent = Pt(14)
    if not bulletin.copy_to:
        _border(printed, "top", size=8, color="000000")
    _border(printed, "bottom", size=8, color="000000")
    _run(printed, bulletin.issuer.replace("\n", ""), font=BODY_FONT, size=SMALL_SIZE)
    _run(
        printed,
        "\t" + _date_text(bulletin.approved_at or bulletin.created_at) + "印发",
        font=BODY_FONT,
        size=SMALL_SIZE,
    )
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(28), WD_TAB_ALIGNMENT.RIGHT)


def _closing_section(document):
    """Ends the body's section on its last paragraph and opens the 版记's: it starts on an
    even page (after a blank one if need be) and its footers are empty."""
    body = document.element.body
    if body[-2].tag != qn("w:p"):  # the attachment table: a section ends on a paragraph
        _paragraph(document, spacing=Pt(1))
    last = body[-2]
    body_sect_pr = body[-1]
    ended = copy.deepcopy(body_sect_pr)
    last.get_or_add_pPr().insert_element_before(ended, "w:pPrChange")
    for reference in body_sect_pr.findall(qn("w:footerReference")):
        body_sect_pr.remove(reference)
    section = document.sections[-1]
    section.start_type = WD_SECTION.EVEN_PAGE
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
