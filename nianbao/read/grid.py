"""A table's cells with row and column spans, expanded into a rectangular grid.

Every reader that meets a merged-cell table (HTML ``rowspan``/``colspan``, PDF cells found from ruling
lines, OCR'd scans) builds a list of :class:`SpanCell` rows and calls :func:`expand_spans`. The text
of a merged cell is repeated in every slot it covers, so that every number lands in its row and
column and every row carries its group labels (``三、本年度办理结果`` / ``（三）不予公开`` …).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SPAN = 200  # a span larger than this is a broken page, not a table


@dataclass
class SpanCell:
    text: str
    rowspan: int = 1  # 0 means "to the end of the table" (HTML)
    colspan: int = 1


@dataclass
class Grid:
    rows: list[list[str]]
    width: int
    # the source cell of every slot (same number = one merged cell repeated over its span)
    owners: list[list[int | None]] = field(default_factory=list)
    # Row spans that ran past the last row: column → (text, rows still to cover). A table split
    # over two ``<table>`` elements continues them in the next one (see ``carry``).
    overflow: dict[int, tuple[str, int]] = field(default_factory=dict)


def _clamp(n: int) -> int:
    return max(1, min(int(n), MAX_SPAN))


def expand_spans(rows: list[list[SpanCell]], carry: dict[int, tuple[str, int]] | None = None) -> Grid:
    """Expand ``rows`` of span cells into a grid of strings.

    :param rows: the table's rows, each a list of cells in source order.
    :param carry: row spans continued from a previous part of the same table, as returned in
        :attr:`Grid.overflow`; they occupy their columns in the first rows here.
    """
    n = len(rows)
    taken: dict[tuple[int, int], str] = {}
    owner: dict[tuple[int, int], int] = {}  # which source cell fills each slot
    overflow: dict[int, tuple[str, int]] = {}
    for col, (text, remaining) in (carry or {}).items():
        for r in range(min(remaining, n)):
            taken[(r, col)] = text
            owner[(r, col)] = -1 - col
        if remaining > n:
            overflow[col] = (text, remaining - n)
    serial = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            serial += 1
            while (r, c) in taken:
                c += 1
            rowspan = n - r if cell.rowspan == 0 else _clamp(cell.rowspan)
            colspan = _clamp(cell.colspan)
            for dr in range(rowspan):
                if r + dr >= n:
                    for dc in range(colspan):
                        overflow[c + dc] = (cell.text, rowspan - dr)
                    break
                for dc in range(colspan):
                    if (r + dr, c + dc) not in taken:
                        taken[(r + dr, c + dc)] = cell.text
                        owner[(r + dr, c + dc)] = serial
            c += colspan
    width = max((c for _, c in taken), default=-1) + 1
    grid = [[taken.get((r, c), "") for c in range(width)] for r in range(n)]
    ids = [[owner.get((r, c)) for c in range(width)] for r in range(n)]
    if not overflow:  # column numbers of an overflow must stay those of the source
        keep = kept_columns(ids)
        grid = [[row[c] for c in keep] for row in grid]
        ids = [[row[c] for c in keep] for row in ids]
    return Grid(grid, len(grid[0]) if grid else 0, overflow=overflow, owners=ids)


def drop_redundant_columns(grid: list[list[str]], ids: list[list[object]]) -> list[list[str]]:
    """Remove grid columns that no row divides from their left neighbour.

    Word and LibreOffice add grid columns to line up cell edges; a column that is the same merged
    cell as its left neighbour in *every* row is not a column of the table, and keeping it would
    print a number twice (``总计 29 29``). ``ids`` names the source cell of every slot.
    """
    if not grid or not grid[0]:
        return grid
    keep = kept_columns(ids)
    if len(keep) == len(grid[0]):
        return grid
    return [[row[c] for c in keep] for row in grid]


def kept_columns(ids: list[list[object]]) -> list[int]:
    """The grid columns some row divides from their left neighbour (see drop_redundant_columns)."""
    if not ids or not ids[0]:
        return []
    width = len(ids[0])
    return [0] + [c for c in range(1, width)
                  if any(row_ids[c] is not row_ids[c - 1] or row_ids[c] is None for row_ids in ids)]


def expanded_size(rows: list[list[SpanCell]], carry: dict[int, tuple[str, int]] | None = None) -> int:
    """An upper bound of the slots :func:`expand_spans` makes for these rows (the spanned area,
    or the rectangle it fills), computed without expanding: a reader checks it against the limit."""
    n = len(rows)
    area = sum(min(remaining, n) for _, remaining in (carry or {}).values())
    width = max(carry or {0: None}) + 1
    widest = 0
    for r, row in enumerate(rows):
        widest = max(widest, natural_width(row))
        for cell in row:
            rowspan = n - r if cell.rowspan == 0 else min(_clamp(cell.rowspan), n - r)
            area += rowspan * _clamp(cell.colspan)
            if rowspan > 1:
                width += _clamp(cell.colspan)  # columns it takes in rows below, pushing them right
    return max(area, n * (width + widest))


def natural_width(row: list[SpanCell]) -> int:
    """How many columns a row fills by itself (sum of its column spans)."""
    return sum(_clamp(c.colspan) for c in row)
