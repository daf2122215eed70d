"""A report in the official format of its template: the grid every output (HTML, DOCX, markdown,
PDF) draws.

:func:`layout` turns a :class:`~nianbao.model.Report` into an :class:`Official` document: the
title, the opening paragraph, the six chapters in order (their text and, for chapters 二–四, the
table), and the agency and date line. Each table is a list of rows of :class:`GridCell` with the
spans of the official format (``annual-report-format.md`` §§2–4): table 2's stacked blocks
(caption row, ``信息内容`` header, data rows), table 3's three header rows and its 3-column label
area (the vertical ``三、本年度办理结果`` cell, the group cells （三）…（六）), table 4's three header
rows over one row of 15 values. Every label comes from :mod:`nianbao.template`.

A cell the report leaves ``null`` (or does not have) is drawn blank and listed in
:attr:`Official.missing`, so the command can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import template as T
from ..model import Report
from ..numbers import format_number

THREE = T.REQUEST_GROUPS[0][0]  # 三、本年度办理结果


@dataclass
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "value"  # "caption" | "header" | "label" | "value"
    path: Optional[str] = None  # the cell's dotted path, for value cells


@dataclass
class OfficialTable:
    key: str  # active / requests / appeals
    width: int  # grid columns
    header_rows: int  # leading rows that repeat on a new page (0 for table 2)
    rows: list[list[GridCell]]


@dataclass
class Chapter:
    key: str
    heading: str
    paragraphs: list[str]
    table: Optional[OfficialTable] = None


@dataclass
class Official:
    title: str
    opening: list[str]
    chapters: list[Chapter]
    agency: str
    date: str  # 2023年1月30日, or ""
    template: str
    missing: list[str] = field(default_factory=list)  # cell paths drawn blank
    warnings: list[str] = field(default_factory=list)  # other things left out (no title …)


def chinese_date(iso: Optional[str]) -> str:
    """``2023-01-30`` → ``2023年1月30日`` (the form of the date line)."""
    if not iso:
        return ""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


class _Cells:
    """Reads values from the report and remembers which were missing."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.missing: list[str] = []

    def value(self, path: str, colspan: int = 1) -> GridCell:
        v = self.report.get(path)
        if v is None:
            self.missing.append(path)
        return GridCell(format_number(v), 1, colspan, "value", path)


# --------------------------------------------------------------------------- 表二


ACTIVE_VALUE_COLUMNS = 3  # value columns after 信息内容


def active_table(report: Report, version: str, cells: _Cells) -> OfficialTable:
    width = 1 + ACTIVE_VALUE_COLUMNS
    rows: list[list[GridCell]] = []
    block: tuple | None = None
    for ar in T.ACTIVE_ROWS[version]:
        fields = tuple(f.key for f in ar.fields)
        # one field (2021: 本年处理决定数量, 本年收费金额) spans the three columns; two fields (2019:
        # 行政事业性收费, 政府集中采购) leave the third column empty, as the 2019 reports print it
        spans = [ACTIVE_VALUE_COLUMNS] if len(fields) == 1 else [1] * len(fields)
        pad = ACTIVE_VALUE_COLUMNS - sum(spans)
        if block != (ar.caption, fields):
            block = (ar.caption, fields)
            rows.append([GridCell(ar.caption, 1, width, "caption")])
            rows.append(
                [GridCell(T.ACTIVE_HEADER, kind="header")]
                + [GridCell(f.label, 1, s, "header") for f, s in zip(ar.fields, spans)]
                + [GridCell("", kind="header") for _ in range(pad)]
            )
        rows.append(
            [GridCell(ar.label, kind="label")]
            + [cells.value(T.ac(ar.key, f.key), s) for f, s in zip(ar.fields, spans)]
            + [GridCell("", kind="value") for _ in range(pad)]
        )
    return OfficialTable("active", width, 0, rows)


# --------------------------------------------------------------------------- 表三


def other_split_of(report: Report, version: str) -> bool:
    """How （六） is printed: as the report has it (three sub-rows or one row), else as its template."""
    rows = report.tables.requests or {}
    if any(k in rows for k in T.OTHER_SPLIT_KEYS):
        return True
    if "other_handling" in rows:
        return False
    return version == "2021"


def request_header() -> list[list[GridCell]]:
    """The three header rows of table 3 (format §3.1)."""
    parts = [T.REQUEST_COLUMN_LABEL[c] for c in T.REQUEST_PARTS[1:]]
    return [
        [
            GridCell(T.REQUEST_HEADER_NOTE, 3, 3, "header"),
            GridCell(T.REQUEST_HEADER_APPLICANTS, 1, 7, "header"),
        ],
        [
            GridCell(T.REQUEST_COLUMN_LABEL["natural_person"], 2, 1, "header"),
            GridCell(T.REQUEST_HEADER_LEGAL_PERSONS, 1, 5, "header"),
            GridCell(T.REQUEST_COLUMN_LABEL["total"], 2, 1, "header"),
        ],
        [GridCell(x, kind="header") for x in parts],
    ]


def is_level_one(row: T.RequestRow) -> bool:
    """一、二、四、: labels that span the whole 3-column label area."""
    return row.number.endswith("、")


def request_table(report: Report, version: str, cells: _Cells) -> OfficialTable:
    rows_spec = T.request_rows(version, other_split_of(report, version))
    under_three = [r for r in rows_spec if not is_level_one(r)]
    group_size: dict[str, int] = {}
    for r in rows_spec:
        if r.group and r.group != THREE:
            group_size[r.group] = group_size.get(r.group, 0) + 1
    rows = request_header()
    opened: set[str] = set()
    for r in rows_spec:
        line: list[GridCell] = []
        if is_level_one(r):
            line.append(GridCell(r.number + r.label, 1, 3, "label"))
        else:
            if THREE not in opened:
                opened.add(THREE)
                line.append(GridCell(THREE, len(under_three), 1, "label"))
            if r.group and r.group != THREE:
                if r.group not in opened:
                    opened.add(r.group)
                    line.append(GridCell(r.group, group_size[r.group], 1, "label"))
                line.append(GridCell(r.number + r.label, kind="label"))
            else:
                line.append(GridCell(r.number + r.label, 1, 2, "label"))
        line += [cells.value(T.rq(r.key, c)) for c in T.REQUEST_COLUMN_KEYS]
        rows.append(line)
    return OfficialTable("requests", 3 + len(T.REQUEST_COLUMN_KEYS), 3, rows)


# --------------------------------------------------------------------------- 表四


def appeal_header() -> list[list[GridCell]]:
    """The three header rows of table 4 (format §4)."""
    fields = [label for _, label in T.APPEAL_FIELDS]
    n = len(fields)
    reconsideration = T.APPEAL_BLOCK_LABEL["reconsideration"]
    litigation, direct = T.APPEAL_BLOCK_LABEL["litigation_direct"].split("·")
    after = T.APPEAL_BLOCK_LABEL["litigation_after_reconsideration"].split("·")[1]
    return [
        [GridCell(reconsideration, 1, n, "header"), GridCell(litigation, 1, 2 * n, "header")],
        [GridCell(f, 2, 1, "header") for f in fields]
        + [GridCell(direct, 1, n, "header"), GridCell(after, 1, n, "header")],
        [GridCell(f, kind="header") for f in fields] * 2,
    ]


def appeal_table(report: Report, cells: _Cells) -> OfficialTable:
    values = [cells.value(T.ap(b, f)) for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]
    return OfficialTable("appeals", len(values), 3, appeal_header() + [values])


# --------------------------------------------------------------------------- the document


def opening(report: Report) -> list[str]:
    """The text before chapter 一: the report's own, else the usual statement of the statistical
    period (format §1: a common opening paragraph)."""
    if report.preamble:
        return [p.strip() for p in report.preamble.split("\n") if p.strip()]
    y = report.meta.year
    if y is None:
        return []
    return [
        "根据《中华人民共和国政府信息公开条例》规定，编制本年度报告。"
        f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    ]


def layout(report: Report) -> Official:
    """The report as the official format of its template lays it out."""
    meta = report.meta
    warnings: list[str] = []
    version = meta.template or T.template_for_year(meta.year)
    if version is None:
        version = "2021"
        warnings.append("报告未注明格式版本和年度，按2021年版格式输出")
    elif meta.template is None:
        warnings.append(f"报告未注明格式版本，按{meta.year}年度应使用的{version}年版格式输出")
    if not meta.title:
        warnings.append("报告没有标题，标题留空")
    if not meta.agency:
        warnings.append("报告没有发布机关，落款机关留空")
    if not meta.published:
        warnings.append("报告没有发布日期，落款日期留空")
    cells = _Cells(report)
    tables = {
        "active": active_table(report, version, cells),
        "requests": request_table(report, version, cells),
        "appeals": appeal_table(report, cells),
    }
    chapters = []
    for ch in T.CHAPTERS:
        text = getattr(report.sections, ch.key) or ""
        paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
        if not paragraphs and ch.key not in tables:
            warnings.append(f"“{ch.heading}”没有正文")
        chapters.append(Chapter(ch.key, ch.heading, paragraphs, tables.get(ch.key)))
    return Official(
        title=meta.title or "",
        opening=opening(report),
        chapters=chapters,
        agency=meta.agency or "",
        date=chinese_date(meta.published),
        template=version,
        missing=cells.missing,
        warnings=warnings,
    )


def grid_positions(rows: list[list[GridCell]]) -> list[tuple[int, int, GridCell]]:
    """(row, column, cell) of every printed cell, placed as an HTML table places them."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


FORMATS = ("html", "docx", "md", "pdf")


def render(report: Report, fmt: str) -> tuple[bytes, Official]:
    """The report in the official format as the bytes of a file of format ``fmt``, and the layout
    (whose ``missing`` and ``warnings`` say what was left blank)."""
    doc = layout(report)
    if fmt == "html":
        from .official_html import to_html

        return to_html(doc).encode("utf-8"), doc
    if fmt == "md":
        from .official_md import to_markdown

        return to_markdown(doc).encode("utf-8"), doc
    if fmt in ("docx", "pdf"):
        from .official_docx import to_docx

        data = to_docx(doc)
        if fmt == "pdf":
            from .official_pdf import docx_to_pdf

            data = docx_to_pdf(data)
        return data, doc
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
