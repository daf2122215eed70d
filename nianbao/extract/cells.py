"""The cells of one table row: a row's printed numbers placed into its cells (by grid position, by
the placer of ``place.py``, with blanks seen or taken from another year), with the provenance of
each cell and the row's notes. The table readers (``table2.py``, ``table3.py``, ``table4.py``)
share what is here; each returns a :class:`TableRead`: the table as the spec's nested dict (every
cell of the template present, null where unknown), the provenance of every cell, notes on what
could not be done with certainty, and the lines the table occupied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Note, Provenance
from .normalize import key
from .notes import UNREAD_CODES, note
from .place import TooManySplits, atom_of, place_atoms, splits
from .rows import RowHit
from .tokens import BLANK, VALUE, Token


@dataclass
class TableRead:
    table: dict | None
    provenance: dict[str, Provenance] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    lines: tuple[int, int] | None = None  # first and last Document line index the table used
    version: str | None = None  # table 2: the template its columns follow
    other_split: bool | None = None  # table 3: （六） printed as three rows
    labels: dict[str, str] = field(default_factory=dict)  # row key → label as printed
    whole_labels: set[str] = field(default_factory=set)  # rows whose printed label is surely theirs, whole
    #   (not a fragment of a wrapped cell): only those may be said to differ from the template's
    trace: list = field(default_factory=list)  # one entry per row read, for ``nianbao explain`` (row_trace)
    headers: list[str] = field(default_factory=list)  # every label printed in the table's zone


@dataclass
class Cells:
    values: list
    provenance: list[Provenance | None]  # raw None: a value forced by arithmetic, not printed
    candidates: list[list[int]] | None = None  # digit splits still open, for the column identities
    code: str | None = None  # why cells are null or inferred


_PROV_FIELDS = frozenset({"raw", "line", "page"})


LABEL_NUMBERING = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]?")  # a row label's own numbering
CELLS_APART = re.compile(r"[\u4e00-\u9fff）)]\s+[\u4e00-\u9fff（(\d]")


def whole_label(printed: str, row: str, matcher, by_order: bool, number_fits: bool, official: str) -> bool:
    """Whether a row's printed label is its whole label as the report prints it: one cell (no gap
    between its words, which a wrapped cell copied out of a PDF leaves: ``开 禁止公开``) that names the
    row by itself, or, for a row named by its place, carries the row's own item number (table 3) or
    is about as long as the official words (table 2)."""
    if not printed.strip() or CELLS_APART.search(printed.strip()):
        return False
    if by_order:
        return number_fits and len(key(printed)) <= len(key(official)) + 4
    return matcher.match([printed], None) == row


def _prov(tok: Token) -> Provenance:
    """Where a cell's value was printed. Built without validation (the reader made every field),
    the way ``model_construct`` does, at a fraction of its cost: a report has hundreds."""
    p = object.__new__(Provenance)
    object.__setattr__(p, "__dict__", {"raw": tok.raw, "line": tok.line, "page": tok.page})
    object.__setattr__(p, "__pydantic_fields_set__", _PROV_FIELDS)
    object.__setattr__(p, "__pydantic_extra__", None)
    object.__setattr__(p, "__pydantic_private__", None)
    return p


def _grid_area(hit: RowHit) -> list[Token] | None:
    """For a row read from a real grid: its value cells, by position."""
    if not hit.cells or any(t.slot is None for t in hit.cells):
        return None
    lines = {t.index for t in hit.cells}
    if len(lines) != 1:
        return None
    return list(hit.cells)


@dataclass(frozen=True)
class SeriesHint:
    """What the same agency's report of another year (``year``) says about a row of table 3 that this
    report leaves open (``nianbao.extract.series``): the columns where it printed the row's blank
    cells (``columns``), or the values the row must have by the carry-over (``values``: last year's
    结转下年度 is this year's 上年结转)."""

    year: int | None
    columns: tuple[int, ...] = ()
    values: tuple | None = None


def _grid_cells(area: list[Token], n: int) -> Cells | None:
    """The n cells of a row read from a real grid, by position; None when its cells are not n."""
    # a value spanning several grid columns is one value (a merged data cell repeated by the grid)
    area = [t for i, t in enumerate(area) if i == 0 or t.origin is None or t.origin != area[i - 1].origin]
    while len(area) > n and area[-1].kind == BLANK:
        area.pop()
    while len(area) > n and area[0].kind == BLANK:
        area.pop(0)
    if len(area) > n and n == 1 and len({t.value for t in area if t.kind == VALUE}) == 1:
        area = [t for t in area if t.kind == VALUE][:1]  # one cell spanning several columns
    if len(area) != n:
        return None
    return Cells(
        [t.value if t.kind == VALUE else None for t in area],
        [_prov(t) for t in area],
        code="blank_cells" if any(t.kind == BLANK for t in area) else None,
    )


def read_cells(hit: RowHit, n: int, groups=(), kinds=None, fused_table: bool = False,
               gaps_are_blanks: bool = False, series: SeriesHint | None = None) -> Cells:
    """The n cells of one row: by grid position when the row came from a real grid, else by
    placing its printed atoms (``place.place_atoms``). With ``gaps_are_blanks`` (a table whose
    rows are solid digit runs), a space inside a row's digits is a cell printed blank. With
    ``series``, a row short of numbers takes its blanks where another year's report printed them."""
    area = _grid_area(hit)
    if area is not None:
        by_grid = _grid_cells(area, n)
        if by_grid is not None:
            return by_grid
    values = hit.values
    if len(values) > n and n == 1 and len({t.value for t in values}) == 1:
        return Cells([values[0].value], [_prov(values[0])])  # a merged cell repeated by the grid
    # one long number standing for a whole row that has an identity (表三 ``220000022``) is a run
    lone_run = len(values) == 1 and bool(groups) and len(values[0].raw.strip()) >= n
    atoms = [atom_of(t.raw, split=fused_table or t.run or lone_run) for t in values]
    if any(a is None for a in atoms):
        return Cells([None] * n, [None] * n, code="cells_unplaced")
    if gaps_are_blanks and len(values) > 1:
        blanked = _gaps_as_blanks(values, atoms, n, groups)
        if blanked is not None:
            return blanked
    placed = place_atoms(atoms, n, kinds, groups)
    if placed.code == "cells_unplaced" and series is not None and series.columns:
        inferred = _blanks_of_series(values, atoms, n, kinds, groups, series)
        if inferred is not None:
            return inferred
    provs: list[Provenance | None] = []
    for i in range(n):
        src = placed.sources[i]
        provs.append(_prov(values[src]) if src is not None and placed.values[i] is not None else None)
    return Cells(placed.values, provs, candidates=placed.candidates, code=placed.code)


def _gaps_as_blanks(values: list[Token], atoms: list, n: int, groups) -> Cells | None:
    """A row of one-digit cells run together (``0 00000``) in a table whose other rows are solid runs
    (``0000000``): the crawler turned an empty cell's &nbsp; into the space, so each space between
    the digits is one cell printed blank. Used only when the digits and the spaces are exactly the
    row's cells and the row's identity holds with the blanks counted as 0."""
    if not all(a.fixed is None and not a.sign and a.body.isdigit() for a in atoms):
        return None
    if sum(len(a.body) for a in atoms) + len(atoms) - 1 != n:
        return None
    vals: list = []
    provs: list = []
    for i, (tok, atom) in enumerate(zip(values, atoms)):
        if i:
            vals.append(None)
            provs.append(Provenance.model_construct(raw="", line=tok.line, page=tok.page))
        for digit in atom.body:
            vals.append(int(digit))
            provs.append(_prov(tok))
    as_zero = [v or 0 for v in vals]
    if any(sum(as_zero[p] for p in parts) != as_zero[total] for parts, total in groups):
        return None
    return Cells(vals, provs, code="blank_cells")


def _blanks_of_series(values: list[Token], atoms: list, n: int, kinds, groups, series: SeriesHint) -> Cells | None:
    """A row printed with fewer numbers than cells, whose blank cells are taken where the same
    agency's report of an adjacent year printed them blank (agencies fill the same table every year).
    Only when the printed numbers then have exactly one split into the other cells, the row's identity
    holding with the blanks counted as 0; the cells are inferred (spec §8), never seen."""
    blank = set(series.columns)
    m = n - len(blank)
    if not blank or m < len(atoms) or max(blank) >= n:
        return None
    kinds = list(kinds) if kinds is not None else ["count"] * n
    try:
        found = splits(atoms, m, [k for i, k in enumerate(kinds) if i not in blank])
    except TooManySplits:
        return None
    rows = []
    for cand in found:
        it = iter(cand)
        row = [(None, None) if i in blank else next(it) for i in range(n)]
        as_zero = [v or 0 for v, _ in row]
        if all(sum(as_zero[p] for p in parts) == as_zero[total] for parts, total in groups):
            rows.append(row)
    if len({tuple(v for v, _ in r) for r in rows}) != 1:
        return None
    row = rows[0]
    provs: list = []
    for v, src in row:
        tok = values[src] if src is not None else values[0]
        provs.append(_prov(tok) if v is not None else Provenance.model_construct(raw="", line=tok.line, page=tok.page))
    return Cells([v for v, _ in row], provs, code="cells_inferred")


ROW_NOTES = {
    "blank_cells": "{table}“{label}”行有空白单元格（未填0）",
    "too_many_values": "{table}“{label}”行印出的数字多于栏数，无法确定各数所在的栏，相关单元格记为空",
    "digits_split": "{table}“{label}”行的数字连在一起，只有一种符合格式和勾稽关系的拆分，已按此拆分",
    "digits_ambiguous": "{table}“{label}”行的数字连在一起，有多种符合格式和勾稽关系的拆分{options}，无法确定，记为空",
    "digits_unsplittable": "{table}“{label}”行的数字连在一起，没有符合勾稽关系的拆分，记为空",
    "cells_unplaced": "{table}“{label}”行印出的数字少于栏数，无法确定空白或缺失的是哪一栏，相关单元格记为空",
    "cells_inferred": "{table}“{label}”行印出的数字少于栏数；同一机关{year}年度报告的这一行在同样位置留有空白栏，"
                      "据此放置（推定，请对照原件）",
}


def row_note(code: str, table: str, label: str, paths: list[str], line: int, cells: Cells | None = None,
              series: SeriesHint | None = None) -> Note:
    """The note on one row; for a code that leaves cells unread it names only the cells left null."""
    options = ""
    if cells is not None and cells.candidates:
        shown = ["/".join(str(v) for v in c) for c in cells.candidates[:4]]
        options = "（" + "、".join(shown) + (" …" if len(cells.candidates) > 4 else "") + "）"
    if cells is not None and code in UNREAD_CODES:
        paths = [p for p, v in zip(paths, cells.values) if v is None]
    year = f"{series.year}" if series is not None and series.year else "相邻"
    return note(code, ROW_NOTES[code].format(table=table, label=label, options=options, year=year), paths, line=line)


MISSING = {
    "row_missing": "{table}未找到“{label}”行，表内另有未能对应到行的数字，相关单元格记为无法读取",
    "row_absent": "{table}未印出“{label}”行（表内没有未对应到行的数字）",
}


def missing_code(orphans: list[Token]) -> str:
    """A template row the reader did not find: absent from the report when every number of the
    table belongs to a row it found; unread when numbers are left over (its label was misread)."""
    return "row_missing" if any(t.kind == VALUE for t in orphans) else "row_absent"


def _match_kind(printed: str, official: str) -> str:
    """How a row's printed label named it: ``exact`` (the official words, numbering aside) or
    ``keyword`` (a variant that holds the row's keyword)."""
    bare = LABEL_NUMBERING.sub("", key(printed))
    return "exact" if bare and (bare == key(official) or key(official).endswith(bare)) else "keyword"


def trace_entry(row: str, official: str, hit: RowHit, cells: Cells, match: str | None = None) -> tuple:
    """What ``explain`` shows of one row, kept as it is until asked for (``row_trace``)."""
    return (row, official, hit, cells, match)


def row_trace(entry) -> dict:
    """One entry of ``TableRead.trace`` as ``nianbao explain`` prints it."""
    if isinstance(entry, dict):
        return entry
    row, official, hit, cells, match = entry
    printed = " ".join(t.raw for t in hit.labels[-1:])
    bare_official = LABEL_NUMBERING.sub("", official)
    return {
        "row": row,
        "label": printed,
        "match": match or ("by_order" if hit.by_order else "grid" if not hit.labels else _match_kind(printed, bare_official)),
        "line": hit.first_line,
        "printed": [t.raw for t in hit.values],
        "cells": list(cells.values),
        "code": cells.code,
        "candidates": len(cells.candidates) if cells.candidates else (1 if cells.code == "digits_split" else 0),
    }


def fused(hits: list[RowHit]) -> bool:
    """Whether a table shows its cells run together: a digit run glued to a label (``规章000``) or
    digits that cannot be one number (``00``). Only then may a well-formed number standing apart
    (``110000011``, ``20`` in ``20 0 0 0 02``) hold several cells; in a table whose numbers stand
    apart (a PDF line ``行政许可 215``) a number is one cell."""
    for h in hits:
        for t in h.cells:
            if t.kind == VALUE and (t.run or _malformed(t.raw)):
                return True
    return False


@lru_cache(maxsize=65536)
def _malformed(raw: str) -> bool:
    atom = atom_of(raw)
    return atom is not None and atom.malformed


def span(tokens: list[Token]) -> tuple[int, int] | None:
    if not tokens:
        return None
    return tokens[0].index, tokens[-1].index
