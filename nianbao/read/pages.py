"""Pages of positioned items (text lines and table grids, from a PDF's text layer or from OCR)
into the Document's lines: running headers, footers and page numbers dropped, and a table that
goes on over a page break continued as one table (its repeated header rows dropped)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .document import Line
from .layout import PageItems, TableGrid, TextLine, continue_table

MARGIN = 0.09  # top and bottom share of the page where running headers and footers live
_PAGE_NUMBER = re.compile(r"^[\s\-—－–第]*(\d+|[一二三四五六七八九十]+)\s*([页頁]|/\s*\d+|[\-—－–])?[\s\-—－–共\d页頁]*$")


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def in_margin(page: PageItems, line: TextLine) -> bool:
    return line.top < page.height * MARGIN or line.bottom > page.height * (1 - MARGIN)


def drop_running_lines(pages: list[PageItems]) -> None:
    """Drop page numbers and text repeated in the top or bottom margin of several pages."""
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {_running_key(it.text) for _, it in page.items if isinstance(it, TextLine) and in_margin(page, it)}
        seen.update(keys)
    for page in pages:
        kept = []
        for top, it in page.items:
            if isinstance(it, TextLine) and in_margin(page, it):
                if _PAGE_NUMBER.match(it.text) or (len(pages) > 1 and seen[_running_key(it.text)] > 1):
                    continue
            kept.append((top, it))
        page.items = kept


@dataclass
class _OpenTable:
    """The table that ended the previous page, while it may go on."""

    header: list[list[str]]  # its header rows, as first printed
    part: TableGrid  # its last part
    lines: list[Line | None]  # the line emitted for each row of the part (None: empty row)


def pages_to_lines(pages: list[PageItems]) -> list[Line]:
    lines: list[Line] = []
    open_table: _OpenTable | None = None

    def emit(grid: TableGrid, page: int) -> list[Line | None]:
        out: list[Line | None] = []
        owners = grid.owners if len(grid.owners) == len(grid.rows) else [None] * len(grid.rows)
        for row, own in zip(grid.rows, owners):
            if any(row):
                origins = tuple(own) if own is not None and len(own) == len(row) else None
                lines.append(Line("\t".join(row), len(lines) + 1, page, tuple(row), origins=origins))
                out.append(lines[-1])
            else:
                out.append(None)
        return out

    for page in pages:
        for k, (top, it) in enumerate(page.items):
            if isinstance(it, TableGrid):
                width = len(it.rows[0])
                if k == 0 and open_table is not None and width == len(open_table.part.rows[0]):
                    part = continue_table(open_table.part, it, open_table.header)
                    for row, line in zip(open_table.part.rows, open_table.lines):
                        if line is not None and tuple(row) != line.cells:  # a label filled back
                            line.cells = tuple(row)
                            line.text = "\t".join(row)
                    open_table = _OpenTable(open_table.header, part, emit(part, page.number))
                else:
                    open_table = _OpenTable(it.rows[: it.header_rows], it, emit(it, page.number))
            else:
                open_table = None
                lines.append(Line(it.text, len(lines) + 1, page.number))
        if page.items and not isinstance(page.items[-1][1], TableGrid):
            open_table = None
    return lines
