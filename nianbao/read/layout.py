"""Positioned text (PDF characters, OCR boxes) into lines and table grids.

Shared by the PDF reader and the OCR reader. A table arrives as the bounding boxes of its cells
(pdfplumber finds them from ruling lines; for a scan, from lines found in the image): the distinct
cell edges give the grid's columns and rows, a cell covering several of them is a merged cell, and
its text is repeated in every slot it covers (:mod:`.grid`). Each piece of text goes to the cell
holding its centre.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


BBox = tuple[float, float, float, float]  # x0, top, x1, bottom

EDGE_TOLERANCE = 2.5  # cell edges closer than this (in points) are the same grid line


@dataclass
class Glyph:
    """A piece of positioned text: one PDF character, or one OCR box."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class TableGrid:
    bbox: BBox
    rows: list[list[str]]  # cells with spans expanded
    owners: list[list[int]]  # which source cell fills each slot
    header_rows: int = 0  # leading rows without a number


def _cluster(values: list[float], tol: float = EDGE_TOLERANCE) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(lines: list[float], v: float) -> int:
    """Index of the grid line nearest to ``v``."""
    i = bisect.bisect_left(lines, v)
    if i == 0:
        return 0
    if i == len(lines):
        return len(lines) - 1
    return i if lines[i] - v < v - lines[i - 1] else i - 1


def join_glyphs(glyphs: list[Glyph], space_gap: float | None = 0.5) -> list[str]:
    """Glyphs into text lines (top to bottom, left to right within a line).

    :param space_gap: insert a space where the gap between two glyphs exceeds this fraction of
        the glyph size; ``None`` never inserts one (cell text: wrapped labels join up).
    """
    return [line.text for line in glyph_lines(glyphs, space_gap)]


@dataclass
class TextLine:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    columns: bool = False  # wide gaps inside: a row of a table without ruling lines, not prose


def glyph_lines(glyphs: list[Glyph], space_gap: float | None = 0.5) -> list[TextLine]:
    """Like :func:`join_glyphs`, with each line's box."""
    if not glyphs:
        return []
    glyphs = sorted(glyphs, key=lambda g: (g.top, g.x0))
    lines: list[list[Glyph]] = []
    for g in glyphs:
        if lines:
            last = lines[-1]
            ref = last[0]
            if abs(g.cy - ref.cy) <= min(g.size, ref.size) * 0.5:
                last.append(g)
                continue
        lines.append([g])
    out = []
    for line in lines:
        line.sort(key=lambda g: g.x0)
        parts = [line[0].text]
        columns = False
        for prev, g in zip(line, line[1:]):
            gap = g.x0 - prev.x1
            if space_gap is not None and gap > space_gap * min(g.size, prev.size):
                parts.append(" ")
            columns = columns or gap > 1.5 * min(g.size, prev.size)
            parts.append(g.text)
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        if text:
            out.append(TextLine(text, line[0].x0, min(g.top for g in line), line[-1].x1, max(g.bottom for g in line),
                                columns))
    return out


def cells_to_grid(cells: list[BBox], glyphs: list[Glyph]) -> TableGrid:
    """Build the expanded grid of one table from its cell boxes and the glyphs inside it."""
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    ncols, nrows = len(xs) - 1, len(ys) - 1
    owner = [[-1] * ncols for _ in range(nrows)]
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        spans.append((r0, r1, c0, c1))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if r < nrows and c < ncols and owner[r][c] < 0:
                    owner[r][c] = k
    texts: list[list[Glyph]] = [[] for _ in cells]
    for g in glyphs:
        c = bisect.bisect_right(xs, g.cx) - 1
        r = bisect.bisect_right(ys, g.cy) - 1
        if 0 <= r < nrows and 0 <= c < ncols and owner[r][c] >= 0:
            texts[owner[r][c]].append(g)
    cell_text = ["".join(join_glyphs(t, space_gap=None)) for t in texts]
    rows = [[cell_text[k] if k >= 0 else "" for k in row] for row in owner]
    # rows and columns that no cell edge divides from their neighbour are not rows or columns
    keep_rows = [i for i, row in enumerate(owner) if i == 0 or row != owner[i - 1]]
    keep_cols = [c for c in range(ncols) if c == 0 or any(row[c] != row[c - 1] or row[c] < 0 for row in owner)]
    rows = [[rows[i][c] for c in keep_cols] for i in keep_rows]
    owners = [[owner[i][c] for c in keep_cols] for i in keep_rows]
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    header = 0
    for row in rows:
        if any(_is_number(v) for v in row):
            break
        header += 1
    return TableGrid(bbox, rows, owners, header)


_NUMBER = re.compile(r"^[\s(（]*[-−]?[\d０-９][\d０-９,，.．]*[)）%]?\s*$|^[/／\-—－]$|^无$")


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text or ""))


def continue_table(prev: TableGrid, nxt: TableGrid, header: list[list[str]] | None = None) -> TableGrid:
    """The part ``nxt`` of a table continued from ``prev`` over a page break.

    - Header rows repeated at the top of ``nxt`` (those of ``header``, by default ``prev``'s own)
      are dropped.
    - A merged label cell cut by the break (``三、本年度办理结果`` or ``（三）不予公开`` spanning rows
      on both pages) shows its text on one side only: the other side's empty cell gets it. When
      the text is after the break (a vertically centred label), ``prev.rows`` is edited in place.

    Only label columns (left of the first column holding a number) are ever filled, and only
    with text holding a Chinese character: a number is never copied into an empty cell.
    """
    header = prev.rows[: prev.header_rows] if header is None else header
    rows = [list(r) for r in nxt.rows]
    owners = [list(o) for o in nxt.owners]
    header_keys = {_key(r) for r in header}
    while rows and _key(rows[0]) in header_keys:
        rows.pop(0)
        owners.pop(0)
    part = TableGrid(nxt.bbox, rows, owners, 0)
    if not rows or not prev.rows:
        return part
    last = prev.rows[-1]
    first_number = min((c for r in prev.rows[prev.header_rows:] + rows for c, v in enumerate(r) if _is_number(v)),
                       default=len(last))
    if _row_split(prev, part, first_number):
        rows, owners = part.rows, part.owners
    if not rows:
        return part
    last = prev.rows[-1]
    for c in range(min(first_number, len(last), len(rows[0]))):
        before, after = last[c], rows[0][c]
        if before and not after and _HAN.search(before):
            cell = owners[0][c]
            for r, row in enumerate(owners):
                for cc, k in enumerate(row):
                    if k == cell and not rows[r][cc]:
                        rows[r][cc] = before
        elif after and not before and _HAN.search(after) and prev.owners:
            cell = prev.owners[-1][c]
            for r in range(len(prev.rows) - 1, prev.header_rows - 1, -1):
                if prev.owners[r][c] != cell:
                    break
                for cc, k in enumerate(prev.owners[r]):
                    if k == cell and not prev.rows[r][cc]:
                        prev.rows[r][cc] = after
    return part


_HAN = re.compile(r"[\u4e00-\u9fff]")
_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|\d+\s*[.．、])")


def _row_split(prev: TableGrid, part: TableGrid, first_number: int) -> bool:
    """Join a row that a page break cut in two (Word lets rows break across pages).

    The two halves are the last row before the break and the first after it: one holds the
    numbers, the other none, and the label text after the break is a fragment (it does not start
    a new numbered item). The joined row replaces the one before the break (edited in place);
    the fragment row is removed from ``part``. Returns whether a join was made.
    """
    if not part.rows or not prev.rows or len(part.rows[0]) != len(prev.rows[-1]):
        return False
    last, first = prev.rows[-1], part.rows[0]
    nums_last = any(v for v in last[first_number:])
    nums_first = any(v for v in first[first_number:])
    if nums_last == nums_first:
        return False
    fragments = [c for c in range(first_number) if first[c] and first[c] != last[c]]
    if not fragments or any(_NUMBERED.match(first[c]) for c in fragments):
        return False
    joined = list(last)
    for c in range(len(last)):
        if c < first_number:
            if first[c] and first[c] != last[c]:
                joined[c] = last[c] + first[c]
        elif not last[c]:
            joined[c] = first[c]
    # a merged label cell cut by the break goes on in the rows after the fragment: same text
    for c in fragments:
        cell = part.owners[0][c]
        for r in range(1, len(part.rows)):
            for cc, k in enumerate(part.owners[r]):
                if k == cell and part.rows[r][cc] == first[c]:
                    part.rows[r][cc] = joined[c]
    prev.rows[-1][:] = joined
    part.rows.pop(0)
    part.owners.pop(0)
    return True


def _key(row: list[str]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", v) for v in row)


def join_wrapped(lines: list[TextLine]) -> list[TextLine]:
    """Join lines that a paragraph wrapped: a line running to the right edge of the text block,
    followed closely by the next line, goes on in it."""
    if not lines:
        return lines
    right = max(line.x1 for line in lines)
    out = [lines[0]]
    for last, line in zip(lines, lines[1:]):  # ``last``: the physical line above ``line``
        prev = out[-1]
        height = last.bottom - last.top
        prose = not (last.columns or line.columns)
        if prose and last.x1 >= right - 1.5 * height and 0 <= line.top - last.bottom < height:
            joiner = " " if re.search(r"[A-Za-z0-9]$", prev.text) and re.match(r"[A-Za-z0-9]", line.text) else ""
            out[-1] = TextLine(prev.text + joiner + line.text, prev.x0, prev.top, max(prev.x1, line.x1), line.bottom)
        else:
            out.append(line)
    return out


@dataclass
class PageItems:
    """What one page holds, in reading order: text lines and table grids by their top."""

    number: int
    height: float
    items: list[tuple[float, object]] = field(default_factory=list)  # (top, TextLine | TableGrid)
