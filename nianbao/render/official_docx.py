"""The official format as a Word document (python-docx): merged cells are real Word merges
(``gridSpan`` / ``vMerge``), header rows repeat on every page, rows do not break across pages."""

from __future__ import annotations

import io
import re

from .official import Official, OfficialTable, grid_positions

FONT = "宋体"
HEADING_FONT = "黑体"


def to_docx(doc: Official) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    d.core_properties.title = doc.title
    d.core_properties.author = doc.agency
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.5)
    normal = d.styles["Normal"]
    normal.font.size = Pt(12)
    normal.font.name = FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    def para(text: str, *, size: float | None = None, bold_font: bool = False, align=None, indent: bool = True):
        p = d.add_paragraph()
        run = p.add_run(text)
        if size:
            run.font.size = Pt(size)
        if bold_font:
            run.font.name = HEADING_FONT
            run._element.rPr.rFonts.set(qn("w:eastAsia"), HEADING_FONT)
        if align is not None:
            p.alignment = align
        if indent and align is None:
            p.paragraph_format.first_line_indent = Pt(24)
        return p

    if doc.title:
        para(title_lines(doc.title), size=18, bold_font=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for text in doc.opening:
        para(text)
    for ch in doc.chapters:
        para(ch.heading, size=14, bold_font=True, indent=False)
        for text in ch.paragraphs:
            para(text)
        if ch.table is not None:
            _table(d, ch.table)
            d.add_paragraph()
    for text in (doc.agency, doc.date):
        if text:
            para(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


TITLE_FITS = 24  # characters of 18 pt on one line of the 16.6 cm text width


def title_lines(title: str) -> str:
    """A title too long for one line breaks before its year, as printed reports break it
    (``平潭综合实验区旅游与文化体育局`` / ``2019年政府信息公开工作年度报告``), never mid-word."""
    m = re.search(r"(?:19|20)\d\d年", title)
    if len(title) <= TITLE_FITS or not m or m.start() == 0:
        return title
    return title[: m.start()] + "\n" + title[m.start():]


# column widths (cm) by table: wide labels, narrow numbers; the printable width is 16.6 cm
_WIDTHS = {
    "active": (4.6, 4.0, 4.0, 4.0),
    "requests": (1.3, 1.9, 5.0) + (1.2,) * 7,
    "appeals": (16.6 / 15,) * 15,
}


def _table(d, t: OfficialTable) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    table = d.add_table(rows=len(t.rows), cols=t.width)
    table.style = "Table Grid"
    table.autofit = False
    widths = _WIDTHS[t.key]
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)  # the table grid (LibreOffice lays the table out by it)
    # every slot's cell, looked up once: python-docx recomputes the whole grid on each table.cell()
    # call; spans never overlap, so a merge leaves the other spans' cells valid
    slots = table._cells
    for r, c, cell in grid_positions(t.rows):
        target = slots[r * t.width + c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(slots[(r + cell.rowspan - 1) * t.width + c + cell.colspan - 1])
        target.width = Cm(sum(widths[c : c + cell.colspan]))
        target.text = cell.text
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for p in target.paragraphs:
            p.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if cell.kind in ("label", "caption") else WD_ALIGN_PARAGRAPH.CENTER
            )
            for run in p.runs:
                run.font.size = Pt(9 if t.key != "appeals" else 8)
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < t.header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
