"""The three statutory tables, from the tokens of their zones.

Each reader returns a :class:`TableRead`: the table as the spec's nested dict (every cell of the
template present, null where unknown), the provenance of every cell, notes on what could not be
done with certainty, and the lines the table occupied.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from .. import template as T
from ..model import Note, Provenance
from .normalize import key
from .rows import Matcher, RowHit, active_matcher, align_by_order, collect_rows, request_matcher
from .notes import UNREAD_CODES, note
from .place import Group, TooManySplits, atom_of, place_atoms, splits
from .tokens import BLANK, LABEL, VALUE, Token

ROW_TOTAL: tuple[Group, ...] = ((tuple(range(6)), 6),)
APPEAL_GROUPS: tuple[Group, ...] = tuple(((b * 5, b * 5 + 1, b * 5 + 2, b * 5 + 3), b * 5 + 4) for b in range(3))


@dataclass
class TableRead:
    table: dict | None
    provenance: dict[str, Provenance] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    lines: tuple[int, int] | None = None  # first and last Document line index the table used
    version: str | None = None  # table 2: the template its columns follow
    other_split: bool | None = None  # table 3: （六） printed as three rows
    labels: dict[str, str] = field(default_factory=dict)  # row key → label as printed
    trace: list = field(default_factory=list)  # one entry per row read, for ``nianbao explain`` (row_trace)
    headers: list[str] = field(default_factory=list)  # every label printed in the table's zone


@dataclass
class Cells:
    values: list
    provenance: list[Provenance | None]  # raw None: a value forced by arithmetic, not printed
    candidates: list[list[int]] | None = None  # digit splits still open, for the column identities
    code: str | None = None  # why cells are null or inferred


_PROV_FIELDS = frozenset({"raw", "line", "page"})


def _prov(tok: Token) -> Provenance:
    """Where a cell's value was printed. Built without validation (the reader made every field),
    the way ``model_construct`` does, at a fraction of its cost: a report has hundreds."""
    p = object.__new__(Provenance)
    object.__setattr__(p, "__dict__", {"raw": tok.raw, "line": tok.line, "page": tok.page})
    object.__setattr__(p, "__pydantic_fields_set__", _PROV_FIELDS)
    object.__setattr__(p, "__pydantic_extra__", None)
    object.__setattr__(p, "__pydantic_private__", None)
    return p


@lru_cache(maxsize=None)
def _request_paths(row: str) -> tuple[T.CellPath, ...]:
    """The seven cell paths of a row of table 3."""
    return tuple(T.rq(row, c) for c in T.REQUEST_COLUMN_KEYS)


def _run_prov(values: list[Token]) -> Provenance:
    """The provenance of cells split out of digit runs: the runs as printed."""
    return Provenance(raw=" ".join(t.raw for t in values), line=values[0].line, page=values[0].page)


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


def read_cells(hit: RowHit, n: int, groups=(), kinds=None, fused_table: bool = False,
               gaps_are_blanks: bool = False, series: SeriesHint | None = None) -> Cells:
    """The n cells of one row: by grid position when the row came from a real grid, else by
    placing its printed atoms (``place.place_atoms``). With ``gaps_are_blanks`` (a table whose
    rows are solid digit runs), a space inside a row's digits is a cell printed blank. With
    ``series``, a row short of numbers takes its blanks where another year's report printed them."""
    area = _grid_area(hit)
    if area is not None:
        # a value spanning several grid columns is one value (a merged data cell repeated by the grid)
        area = [t for i, t in enumerate(area) if i == 0 or t.origin is None or t.origin != area[i - 1].origin]
        while len(area) > n and area[-1].kind == BLANK:
            area.pop()
        while len(area) > n and area[0].kind == BLANK:
            area.pop(0)
        if len(area) > n and n == 1 and len({t.value for t in area if t.kind == VALUE}) == 1:
            area = [t for t in area if t.kind == VALUE][:1]  # one cell spanning several columns
        if len(area) == n:
            return Cells(
                [t.value if t.kind == VALUE else None for t in area],
                [_prov(t) for t in area],
                code="blank_cells" if any(t.kind == BLANK for t in area) else None,
            )
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


_ROW_NOTES = {
    "blank_cells": "{table}“{label}”行有空白单元格（未填0）",
    "too_many_values": "{table}“{label}”行印出的数字多于栏数，无法确定各数所在的栏，相关单元格记为空",
    "digits_split": "{table}“{label}”行的数字连在一起，只有一种符合格式和勾稽关系的拆分，已按此拆分",
    "digits_ambiguous": "{table}“{label}”行的数字连在一起，有多种符合格式和勾稽关系的拆分{options}，无法确定，记为空",
    "digits_unsplittable": "{table}“{label}”行的数字连在一起，没有符合勾稽关系的拆分，记为空",
    "cells_unplaced": "{table}“{label}”行印出的数字少于栏数，无法确定空白或缺失的是哪一栏，相关单元格记为空",
    "cells_inferred": "{table}“{label}”行印出的数字少于栏数；同一机关{year}年度报告的这一行在同样位置留有空白栏，"
                      "据此放置（推定，请对照原件）",
}


def _row_note(code: str, table: str, label: str, paths: list[str], line: int, cells: Cells | None = None,
              series: SeriesHint | None = None) -> Note:
    """The note on one row; for a code that leaves cells unread it names only the cells left null."""
    options = ""
    if cells is not None and cells.candidates:
        shown = ["/".join(str(v) for v in c) for c in cells.candidates[:4]]
        options = "（" + "、".join(shown) + (" …" if len(cells.candidates) > 4 else "") + "）"
    if cells is not None and code in UNREAD_CODES:
        paths = [p for p, v in zip(paths, cells.values) if v is None]
    year = f"{series.year}" if series is not None and series.year else "相邻"
    return note(code, _ROW_NOTES[code].format(table=table, label=label, options=options, year=year), paths, line=line)


_MISSING = {
    "row_missing": "{table}未找到“{label}”行，表内另有未能对应到行的数字，相关单元格记为无法读取",
    "row_absent": "{table}未印出“{label}”行（表内没有未对应到行的数字）",
}


def _missing_code(orphans: list[Token]) -> str:
    """A template row the reader did not find: absent from the report when every number of the
    table belongs to a row it found; unread when numbers are left over (its label was misread)."""
    return "row_missing" if any(t.kind == VALUE for t in orphans) else "row_absent"


def _numeral(number: str) -> str:
    """The numeral of a row's official numbering: （一） → 一, 1. → 1, 四、 → 四."""
    return re.sub(r"[^一二三四五六七八九十\d]", "", number)


def _match_kind(printed: str, official: str) -> str:
    """How a row's printed label named it: ``exact`` (the official words, numbering aside) or
    ``keyword`` (a variant that holds the row's keyword)."""
    bare = re.sub(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]?", "", key(printed))
    return "exact" if bare and (bare == key(official) or key(official).endswith(bare)) else "keyword"


def _row_trace(row: str, official: str, hit: RowHit, cells: Cells, match: str | None = None) -> tuple:
    """What ``explain`` shows of one row, kept as it is until asked for (``row_trace``)."""
    return (row, official, hit, cells, match)


def row_trace(entry) -> dict:
    """One entry of ``TableRead.trace`` as ``nianbao explain`` prints it."""
    if isinstance(entry, dict):
        return entry
    row, official, hit, cells, match = entry
    printed = " ".join(t.raw for t in hit.labels[-1:])
    bare_official = re.sub(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]?", "", official)
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


def _fused(hits: list[RowHit]) -> bool:
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


def _span(tokens: list[Token]) -> tuple[int, int] | None:
    if not tokens:
        return None
    return tokens[0].index, tokens[-1].index


# --------------------------------------------------------------------------- table 2


def detect_active_version(tokens: list[Token]) -> str | None:
    text = "".join(key(t.raw) for t in tokens if t.kind == LABEL)
    scores = {v: sum(1 for m in marks if key(m) in text) for v, marks in T.TEMPLATE_MARKERS.items()}
    if scores["2021"] == scores["2019"]:
        if "对外管理服务" in text or "集中采购" in text:
            return "2019"
        return None
    return max(scores, key=scores.get)


def read_active(tokens: list[Token], fallback_version: str | None) -> TableRead:
    version = detect_active_version(tokens) or fallback_version
    if version is None:
        # no column headers: decide by the rows the table has
        probe = active_matcher("2019")
        hits, _ = collect_rows(tokens, probe)
        keys = {h.key for h in hits}
        if keys & {"other_services", "procurement"} or any(len(h.values) >= 3 for h in hits if h.key == "licensing"):
            version = "2019"
        elif hits:
            version = "2021"
        else:
            return TableRead(None)
    hits, orphans = collect_rows(tokens, active_matcher(version))
    if not hits:
        return TableRead(None, version=version)
    missing_code = _missing_code(orphans)
    out = TableRead({}, version=version, headers=[t.raw for t in tokens if t.kind == LABEL])
    seen: dict[str, RowHit] = {}
    for hit in hits:
        seen.setdefault(hit.key, hit)
    used: list[Token] = []
    run_together = _fused(list(seen.values()))
    for row in T.ACTIVE_ROWS[version]:
        fields = [f.key for f in row.fields]
        out.table[row.key] = {f: None for f in fields}
        hit = seen.get(row.key)
        paths = [T.ac(row.key, f) for f in fields]
        if hit is None:
            out.notes.append(note(missing_code, _MISSING[missing_code].format(table="表二", label=row.label), paths))
            continue
        out.labels[row.key] = " ".join(t.raw for t in hit.labels[-1:])
        used += hit.labels[-1:] + hit.cells
        cells = read_cells(hit, len(fields), (), [f.kind for f in row.fields], run_together)
        out.trace.append(_row_trace(row.key, row.label, hit, cells))
        for path, f, v, p in zip(paths, fields, cells.values, cells.provenance):
            out.table[row.key][f] = v
            if p is not None:
                out.provenance[path] = p
        if cells.code:
            out.notes.append(_row_note(cells.code, "表二", row.label, paths, hit.first_line, cells))
    used.sort(key=lambda t: t.index)
    out.lines = _span(used)
    return out


# --------------------------------------------------------------------------- table 3


def _drop_subtotal(hits: list[RowHit]) -> int | None:
    """Some software adds a 法人或其他组织 subtotal column that the official table does not have.
    When most rows print eight numbers and one column (after 自然人, or before 总计) is always the
    sum of the five 法人 columns, that column is the subtotal: drop it. Returns its position."""
    eight = [h for h in hits if len(h.values) == 8]
    if len(eight) < max(3, len(hits) // 2) or any(len(h.values) > 8 for h in hits):
        return None
    for idx, parts in ((1, slice(2, 7)), (6, slice(1, 6))):
        if all(h.values[idx].value == sum(t.value for t in h.values[parts]) for h in eight):
            for h in eight:
                h.cells.remove(h.values[idx])
            return idx
    return None


def read_requests(tokens: list[Token], version: str | None, series: dict[str, SeriesHint] | None = None
                  ) -> TableRead:
    """Table 3, by two readers arbitrated by the arithmetic: the label-driven reading (each row named
    by its label, or by its place among named rows) and, when that one leaves cells unread or breaks
    identities, the order-driven reading (the table's groups of numbers in template order, when
    their count is the template's row count: labels mangled, offset by one line or missing). The
    reading that breaks fewer identities wins, then the one with fewer unread cells; on a tie the
    label-driven one. Both place the same printed numbers; they differ only in which row gets them.
    ``series``: blank columns per row from the agency's adjacent years (:class:`SeriesHint`)."""
    series = series or {}
    by_label = _read_requests_by_label(tokens, version, series)
    if by_label.table is None:
        return by_label
    rows = tuple(by_label.table)
    label_score = _score(by_label, rows)
    if label_score[0] == 0 and not any(n.code in ("row_missing", "row_absent", "row_repeated") for n in by_label.notes):
        return by_label  # every row named by its label and nothing broken: rows read where printed
    by_order = _read_requests_by_order(tokens, by_label, series)
    if by_order is None:
        return by_label
    order_score = _score(by_order, rows)
    by_label.trace.append({"arbitration": {"label": list(label_score), "order": list(order_score)}})
    if order_score < label_score:
        by_order.notes.append(note(
            "readers_disagree",
            f"表三按行名读取时有{label_score[0]}处勾稽关系不成立、{label_score[1]}个单元格无法读取；"
            f"按格式行序读取各组数字时为{order_score[0]}处和{order_score[1]}个，采用按行序的读取（行名与数字可能错行）",
        ))
        by_order.trace = by_label.trace[:-1] + by_order.trace + by_label.trace[-1:]
        return by_order
    return by_label


@lru_cache(maxsize=16)
def _identity_cells(rows: tuple[str, ...], kinds: tuple[str, ...] | None = None
                    ) -> tuple[tuple[int, tuple[tuple[str, str], ...]], ...]:
    """Table 3's identities for these rows (of these kinds), as (size of the left side, (row, column)
    of each cell)."""
    return tuple((len(i.left), tuple((T.CellPath.parse(p).row, T.CellPath.parse(p).column) for p in i.left + i.right))
                 for i in T.request_identities(rows) if kinds is None or i.kind in kinds)


def _score(read: TableRead, rows: tuple[str, ...]) -> tuple[int, int]:
    """(identities broken, cells unread) of a reading of table 3."""
    table = read.table or {}
    broken = 0
    for n, cells in _identity_cells(rows):
        vals = [table.get(r, {}).get(c) for r, c in cells]
        if any(v is None for v in vals):
            continue
        if abs(sum(vals[:n]) - sum(vals[n:])) > 1e-9:
            broken += 1
    seen = read.provenance
    unread = sum(1 for row, cols in table.items()
                 for path, col in zip(_request_paths(row), T.REQUEST_COLUMN_KEYS) if cols.get(col) is None and path not in seen)
    return broken, unread


def _read_requests_by_order(tokens: list[Token], by_label: TableRead, series: dict[str, SeriesHint]
                            ) -> TableRead | None:
    """The groups of numbers of the zone, given to the template's rows in order; None when their
    count is not the row count."""
    groups: list[list[Token]] = []
    current: list[Token] = []
    cells_on = Counter(t.index for t in tokens if t.kind != LABEL)
    for tok in tokens:
        new_row = current and tok.index != current[-1].index and cells_on[tok.index] > 1
        if tok.kind == LABEL or new_row:
            if any(t.kind == VALUE for t in current):
                groups.append(current)
            current = []
        if tok.kind != LABEL:
            current.append(tok)
    if any(t.kind == VALUE for t in current):
        groups.append(current)
    rows = list(by_label.table)
    if len(groups) != len(rows):
        return None
    hits = [RowHit(key, [], group) for key, group in zip(rows, groups)]
    out = TableRead({}, other_split=by_label.other_split, labels=dict(by_label.labels))
    run_together = _fused(hits)
    used: list[Token] = []
    pending: dict[str, list] = {}
    for hit in hits:
        used += hit.cells
        _place_request_row(out, T.REQUEST_ROW_BY_KEY[hit.key], hit, run_together, pending, "by_order",
                           series=series.get(hit.key))
    if pending:
        _settle_pending(out, pending, tuple(rows), {h.key: h for h in hits}, series)
    out.notes = [n for n in by_label.notes if n.code in ("subtotal_column",)] + _merge_notes(out.notes)
    used.sort(key=lambda t: t.index)
    out.lines = _span(used)
    return out


def _place_request_row(out: TableRead, row: T.RequestRow, hit: RowHit, run_together: bool, pending: dict,
                       match: str | None = None, solid: bool = False, series: SeriesHint | None = None) -> None:
    """One row of table 3 placed into ``out``: values, provenance, the row's note, the candidate
    splits still open (``pending``, for the column identities) and its trace."""
    paths = list(_request_paths(row.key))
    cells = read_cells(hit, 7, ROW_TOTAL, None, run_together, solid, series)
    out.trace.append(_row_trace(row.key, row.number + row.label, hit, cells, match))
    out.table[row.key] = dict(zip(T.REQUEST_COLUMN_KEYS, cells.values))
    for path, p in zip(paths, cells.provenance):
        if p is not None:
            out.provenance[path] = p
    if cells.candidates:
        pending[row.key] = cells.candidates
    if cells.code:
        out.notes.append(_row_note(cells.code, "表三", row.number + T._short(row.label), paths, hit.first_line, cells,
                                   series))


def _read_requests_by_label(tokens: list[Token], version: str | None, series: dict[str, SeriesHint]) -> TableRead:
    hits, orphans = collect_rows(tokens, request_matcher(), keep_unnamed=True)
    if not any(h.key for h in hits):
        return TableRead(None)
    keys = {h.key for h in hits}
    if keys & set(T.OTHER_SPLIT_KEYS):
        other_split = True
    elif "other_handling" in keys:
        other_split = False
    else:
        other_split = version != "2019"
    rows = T.request_rows(version, other_split)
    hits, loose = align_by_order(hits, [r.key for r in rows], {r.key: _numeral(r.number) for r in rows})
    orphans = orphans + [t for h in loose for t in h.values]
    missing_code = _missing_code(orphans)
    subtotal = _drop_subtotal(hits)
    out = TableRead({}, other_split=other_split)
    if subtotal is not None:
        out.notes.append(
            note("subtotal_column", "表三多了一列“法人或其他组织”小计（格式中没有此列），读取时已略去该列")
        )
    first: dict[str, RowHit] = {}
    conflicting: set[str] = set()
    for hit in hits:
        if hit.key in first:
            if [t.value for t in hit.values] != [t.value for t in first[hit.key].values]:
                conflicting.add(hit.key)
                row = T.REQUEST_ROW_BY_KEY[hit.key]
                out.notes.append(note(
                    "row_repeated",
                    f"表三“{row.number}{T._short(row.label)}”行印出两次且数字不同"
                    f"（{' '.join(t.raw for t in first[hit.key].values)} / {' '.join(t.raw for t in hit.values)}），"
                    "无法确定哪一次是该行，记为无法读取",
                    [T.rq(hit.key, c) for c in T.REQUEST_COLUMN_KEYS],
                    line=hit.first_line,
                ))
            continue
        first[hit.key] = hit
    for row_key in conflicting:  # neither printing is this row's with certainty
        del first[row_key]
    pending: dict[str, list[list[int]]] = {}
    used: list[Token] = []
    run_together = _fused(list(first.values()))
    solid = run_together and sum(len(h.values) == 1 for h in first.values()) >= 0.8 * max(len(first), 1)
    cols = T.REQUEST_COLUMN_KEYS
    for row in rows:
        out.table[row.key] = {c: None for c in cols}
        paths = list(_request_paths(row.key))
        hit = first.get(row.key)
        if hit is None:
            if row.key not in conflicting:
                out.notes.append(
                    note(missing_code, _MISSING[missing_code].format(table="表三", label=row.number + row.label), paths)
                )
            continue
        out.labels[row.key] = hit.labels[-1].raw if hit.labels else ""
        if hit.by_order:
            out.notes.append(note("row_by_order", f"表三“{out.labels[row.key].strip()}”的行名未能识别，按格式规定的"
                                  f"行序认定为“{row.number}{T._short(row.label)}”行", paths, line=hit.first_line))
        used += hit.labels[-1:] + hit.cells
        _place_request_row(out, row, hit, run_together, pending, solid=solid, series=series.get(row.key))
    if pending:
        _settle_pending(out, pending, tuple(r.key for r in rows), first, series)
    out.notes = _merge_notes(out.notes)
    used.sort(key=lambda t: t.index)
    out.lines = _span(used)
    return out


def _resolve_candidates(out: TableRead, pending: dict, rows: tuple[str, ...], hits: dict) -> None:
    """Digit runs that several splits fit: keep the splits the column identities allow, first row by
    row, then jointly over the rows still open. A row is filled only when one split is left."""
    identities = _identity_cells(rows, ("balance", "result_total"))
    changed = True
    while changed and pending:
        changed = False
        for row_key in list(pending):
            keep = [c for c in pending[row_key] if _holds(_trial(out.table, {row_key: c}), identities, {row_key})]
            pending[row_key] = keep
            if len(keep) == 1:
                _assign(out, pending, hits, row_key, keep[0])
                changed = True
    open_rows = [r for r in pending if pending[r]]
    size = 1
    for r in open_rows:
        size *= len(pending[r])
    if not open_rows or size > 20000:
        return
    used: dict[str, set[int]] = {r: set() for r in open_rows}
    for combo in product(*(range(len(pending[r])) for r in open_rows)):
        choice = {r: pending[r][k] for r, k in zip(open_rows, combo)}
        if _holds(_trial(out.table, choice), identities, set(open_rows)):
            for r, k in zip(open_rows, combo):
                used[r].add(k)
    for r in open_rows:
        if len(used[r]) == 1:
            _assign(out, pending, hits, r, pending[r][used[r].pop()])


def _trial(table: dict, choice: dict[str, list]) -> dict:
    """The table with some rows replaced by candidate splits."""
    trial = dict(table)
    for row, cand in choice.items():
        trial[row] = dict(zip(T.REQUEST_COLUMN_KEYS, cand))
    return trial


def _holds(table: dict, identities, touched: set[str]) -> bool:
    """No identity that involves a touched row and has all its cells is broken."""
    for n, cells in identities:
        if touched and not any(r in touched for r, _ in cells):
            continue
        vals = [table[r][c] for r, c in cells]
        if any(v is None for v in vals):
            continue
        if sum(vals[:n]) != sum(vals[n:]):
            return False
    return True


def _assign(out: TableRead, pending: dict, hits: dict, row_key: str, cand: list, series: SeriesHint | None = None
            ) -> None:
    """A row left with one split by the column identities (or, with ``series``, by the agency's
    adjacent year): its cells, provenance and note."""
    prov = _run_prov(hits[row_key].values)
    for c, v in zip(T.REQUEST_COLUMN_KEYS, cand):
        out.table[row_key][c] = v
        out.provenance[T.rq(row_key, c)] = prov
    row = T.REQUEST_ROW_BY_KEY[row_key]
    label = row.number + T._short(row.label)
    if series is None:
        code, message = "digits_split", _ROW_NOTES["digits_split"].format(table="表三", label=label) + "（结合各列勾稽关系）"
    else:
        other = T.REQUEST_ROW_BY_KEY["carried_forward" if row_key == "carried_over" else "carried_over"]
        code, message = "digits_by_series", (
            f"表三“{label}”行的数字连在一起，有多种符合格式和勾稽关系的拆分；同一机关{series.year}年度报告的"
            f"“{other.number}{T._short(other.label)}”行为{'/'.join(str(v) for v in cand)}，按此拆分（推定，请对照原件）")
    for i, n in enumerate(out.notes):
        if n.code == "digits_ambiguous" and n.cells and T.CellPath.parse(n.cells[0]).row == row_key:
            out.notes[i] = note(code, message, [T.rq(row_key, c) for c in T.REQUEST_COLUMN_KEYS], line=n.line)
    del pending[row_key]


def _settle_pending(out: TableRead, pending: dict, rows: tuple[str, ...], hits: dict,
                    series: dict[str, SeriesHint]) -> None:
    """Rows whose digit runs split several ways: by the column identities, then a carried row by
    what the agency's adjacent year carried (``SeriesHint.values``): the one split equal to it, among
    those the identities left, or among all when the table balances with none (the report's own
    imbalance, for the checker)."""
    splits_of = {r: list(c) for r, c in pending.items()}
    _resolve_candidates(out, pending, rows, hits)
    for row_key in list(pending):
        hint = series.get(row_key)
        if hint is None or hint.values is None:
            continue
        same = [c for c in pending[row_key] or splits_of[row_key] if tuple(c) == tuple(hint.values)]
        if len(same) == 1:
            _assign(out, pending, hits, row_key, same[0], hint)


def _merge_notes(notes: list[Note]) -> list[Note]:
    """One note per kind of row problem, naming every row it concerns."""
    merged: dict[str, list[Note]] = {}
    out: list[Note] = []
    for n in notes:
        if n.code in ("cells_unplaced", "blank_cells"):
            merged.setdefault(n.code, []).append(n)
        else:
            out.append(n)
    for code, group in merged.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        rows = [T.REQUEST_ROW_BY_KEY[T.CellPath.parse(n.cells[0]).row] for n in group]
        labels = "、".join(r.number + T._short(r.label) for r in rows)
        tail = _ROW_NOTES[code].split("”行", 1)[1]  # the words after the row in the registry's message
        out.append(
            note(code,
                f"表三以下{len(group)}行{tail}：{labels}",
                cells=[c for n in group for c in n.cells],
                line=group[0].line,
            )
        )
    return out


# --------------------------------------------------------------------------- table 4

_APPEAL_HEADER = tuple(key(w) for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "维持", "纠正", "审结", "复议后起诉", "直接起诉", "行政诉讼", "行政复议"))


@lru_cache(maxsize=1)
def _appeal_matcher() -> Matcher:
    return Matcher([(key("行政复议"), "reconsideration"), (key("直接起诉"), "litigation_direct"),
                    (key("复议后起诉"), "litigation_after_reconsideration")])


def _appeal_rows(tokens: list[Token]) -> TableRead | None:
    """Table 4 printed as three labelled rows (行政复议 / 未经复议直接起诉 / 复议后起诉), five numbers each."""
    hits, _ = collect_rows(tokens, _appeal_matcher())
    def fits(h: RowHit) -> bool:  # five numbers, or one run of digits glued to the label
        return 2 <= len(h.values) <= 5 or (len(h.values) == 1 and h.values[0].run)

    if len(hits) < 2 or len({h.key for h in hits}) != len(hits) or not all(fits(h) for h in hits):
        return None
    out = TableRead({b: {f: None for f in T.APPEAL_FIELD_KEYS} for b in T.APPEAL_BLOCK_KEYS})
    used: list[Token] = []
    run_together = _fused(hits)
    for hit in hits:
        paths = [T.ap(hit.key, f) for f in T.APPEAL_FIELD_KEYS]
        got = read_cells(hit, 5, (((0, 1, 2, 3), 4),), None, run_together)
        out.trace.append(_row_trace(hit.key, T.APPEAL_BLOCK_LABEL[hit.key], hit, got))
        used += hit.cells
        for path, f, v, p in zip(paths, T.APPEAL_FIELD_KEYS, got.values, got.provenance):
            out.table[hit.key][f] = v
            if p is not None:
                out.provenance[path] = p
        if got.code:
            out.notes.append(_row_note(got.code, "表四", T.APPEAL_BLOCK_LABEL[hit.key], paths, hit.first_line, got))
    out.lines = _span(sorted(used, key=lambda t: t.index))
    return out


def read_appeals(tokens: list[Token]) -> TableRead:
    """Table 4 has no row labels: its 15 numbers follow the three header rows (or, in some
    reports, each block is a labelled row of five)."""
    rows = _appeal_rows(tokens)
    if rows is not None:
        return rows
    start = 0
    for i, tok in enumerate(tokens):
        if tok.kind == LABEL and any(h in key(tok.raw) for h in _APPEAL_HEADER):
            start = i + 1
        elif tok.kind == VALUE:
            if start:
                break
    cells: list[Token] = []
    for tok in tokens[start:]:
        if tok.kind == LABEL:
            # a header word between numbers: the table printed label / number pairs; go on
            if any(t.kind == VALUE for t in cells) and not any(h in key(tok.raw) for h in _APPEAL_HEADER):
                break
            continue
        cells.append(tok)
    values = [t for t in cells if t.kind == VALUE]
    if not values:
        return TableRead(None)
    cells = [t for t in cells if t.kind == VALUE or t.index >= values[0].index]  # not the header's empty cells
    hit = RowHit("appeals", [], cells)
    got = read_cells(hit, 15, APPEAL_GROUPS, None, _fused([hit]))
    out = TableRead({b: {f: None for f in T.APPEAL_FIELD_KEYS} for b in T.APPEAL_BLOCK_KEYS})
    out.trace.append(_row_trace("appeals", "表四（一行十五栏）", hit, got))
    paths = [T.ap(b, f) for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]
    for path, v, p in zip(paths, got.values, got.provenance):
        _, _, b, f = path.split(".")
        out.table[b][f] = v
        if p is not None:
            out.provenance[path] = p
    if got.code:
        out.notes.append(_row_note(got.code, "表四", "行政复议、行政诉讼", paths, cells[0].line, got))
    out.lines = _span(cells)
    return out
