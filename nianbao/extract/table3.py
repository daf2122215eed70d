"""Table 3 (收到和处理政府信息公开申请情况): read by two readers arbitrated by the arithmetic
(:func:`read_requests`), fused digit runs settled by the column identities and, in a series, by
the agency's adjacent year."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import product

from .. import template as T
from ..model import Note, Provenance
from .cells import (MISSING, ROW_NOTES, SeriesHint, TableRead, fused, missing_code, read_cells, row_note, span,
                    trace_entry, whole_label)
from .notes import note
from .variants import request_label_differs
from .place import Group
from .rows import RowHit, align_by_order, collect_rows, item_number, request_matcher
from .tokens import LABEL, VALUE, Token

ROW_TOTAL: tuple[Group, ...] = ((tuple(range(6)), 6),)


@lru_cache(maxsize=None)
def _request_paths(row: str) -> tuple[T.CellPath, ...]:
    """The seven cell paths of a row of table 3."""
    return tuple(T.rq(row, c) for c in T.REQUEST_COLUMN_KEYS)


def _run_prov(values: list[Token]) -> Provenance:
    """The provenance of cells split out of digit runs: the runs as printed."""
    return Provenance(raw=" ".join(t.raw for t in values), line=values[0].line, page=values[0].page)


def _numeral(number: str) -> str:
    """The numeral of a row's official numbering: （一） → 一, 1. → 1, 四、 → 四."""
    return re.sub(r"[^一二三四五六七八九十\d]", "", number)


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
    slots = _data_columns(tokens)
    out = TableRead({}, other_split=by_label.other_split, labels=dict(by_label.labels))
    run_together = fused(hits)
    used: list[Token] = []
    pending: dict[str, list] = {}
    for hit in hits:
        used += hit.cells
        _place_request_row(out, T.REQUEST_ROW_BY_KEY[hit.key], hit, run_together, pending, "by_order",
                           series=series.get(hit.key), slots=slots)
    if pending:
        _settle_pending(out, pending, tuple(rows), {h.key: h for h in hits}, series)
    out.notes = [n for n in by_label.notes if n.code in ("subtotal_column",)] + _merge_notes(out.notes)
    used.sort(key=lambda t: t.index)
    out.lines = span(used)
    return out


def _data_columns(tokens: list[Token]) -> frozenset[int]:
    """The grid columns in which the table prints numbers (its seven data columns, when read from
    a real grid); empty when it is not a grid."""
    return frozenset(t.slot for t in tokens if t.kind == VALUE and t.slot is not None)


def _in_data_columns(hit: RowHit, slots: frozenset[int]) -> RowHit:
    """A grid row with more cells than the table has columns: its empty cells under the label
    columns (a row labelled in the second of three label columns) left out, so that an empty data
    cell at the end is not dropped in their place."""
    if len(slots) != 7 or len(hit.cells) <= 7 or any(t.slot is None for t in hit.cells):
        return hit
    kept = [t for t in hit.cells if t.slot in slots]
    return RowHit(hit.key, hit.labels, kept, hit.by_order) if len(kept) == 7 else hit


def _place_request_row(out: TableRead, row: T.RequestRow, hit: RowHit, run_together: bool, pending: dict,
                       match: str | None = None, solid: bool = False, series: SeriesHint | None = None,
                       slots: frozenset[int] = frozenset()) -> None:
    """One row of table 3 placed into ``out``: values, provenance, the row's note, the candidate
    splits still open (``pending``, for the column identities) and its trace."""
    paths = list(_request_paths(row.key))
    cells = read_cells(_in_data_columns(hit, slots), 7, ROW_TOTAL, None, run_together, solid, series)
    out.trace.append(trace_entry(row.key, row.number + row.label, hit, cells, match))
    out.table[row.key] = dict(zip(T.REQUEST_COLUMN_KEYS, cells.values))
    for path, p in zip(paths, cells.provenance):
        if p is not None:
            out.provenance[path] = p
    if cells.candidates:
        pending[row.key] = cells.candidates
    if cells.code:
        out.notes.append(row_note(cells.code, "表三", row.number + T._short(row.label), paths, hit.first_line, cells,
                                   series))


def _other_split(hits: list[RowHit], version: str | None) -> bool:
    """Whether （六）其他处理 is printed as three rows (2021 template) or one (2019): by the rows named,
    else by a row of numbers numbered （六） (its label mistyped), else by the template."""
    keys = {h.key for h in hits}
    if keys & set(T.OTHER_SPLIT_KEYS):
        return True
    if "other_handling" in keys or any(h.key is None and h.values and item_number(h) == "六" for h in hits):
        return False
    return version != "2019"


def _first_printings(hits: list[RowHit], out: TableRead) -> tuple[dict[str, RowHit], set[str]]:
    """Each row's first printing; a row printed twice with other numbers is neither (a note says so)."""
    first: dict[str, RowHit] = {}
    conflicting: set[str] = set()
    for hit in hits:
        if hit.key not in first:
            first[hit.key] = hit
            continue
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
    for row_key in conflicting:  # neither printing is this row's with certainty
        del first[row_key]
    return first, conflicting


def _read_requests_by_label(tokens: list[Token], version: str | None, series: dict[str, SeriesHint]) -> TableRead:
    hits, orphans = collect_rows(tokens, request_matcher(), keep_unnamed=True)
    if not any(h.key for h in hits):
        return TableRead(None)
    other_split = _other_split(hits, version)
    rows = T.request_rows(version, other_split)
    hits, loose = align_by_order(hits, [r.key for r in rows], {r.key: _numeral(r.number) for r in rows},
                                 {r.key: r.label for r in rows})
    orphans = orphans + [t for h in loose for t in h.values]
    absent = missing_code(orphans)
    subtotal = _drop_subtotal(hits)
    out = TableRead({}, other_split=other_split)
    if subtotal is not None:
        out.notes.append(
            note("subtotal_column", "表三多了一列“法人或其他组织”小计（格式中没有此列），读取时已略去该列")
        )
    first, conflicting = _first_printings(hits, out)
    slots = _data_columns(tokens)
    pending: dict[str, list[list[int]]] = {}
    used: list[Token] = []
    run_together = fused(list(first.values()))
    solid = run_together and sum(len(h.values) == 1 for h in first.values()) >= 0.8 * max(len(first), 1)
    cols = T.REQUEST_COLUMN_KEYS
    for row in rows:
        out.table[row.key] = {c: None for c in cols}
        paths = list(_request_paths(row.key))
        hit = first.get(row.key)
        if hit is None:
            if row.key not in conflicting:
                out.notes.append(
                    note(absent, MISSING[absent].format(table="表三", label=row.number + row.label), paths)
                )
            continue
        out.labels[row.key] = hit.labels[-1].raw if hit.labels else ""
        if request_label_differs(out.labels[row.key], row) and whole_label(
                out.labels[row.key], row.key, request_matcher(), hit.by_order,
                hit.by_order and item_number(hit) == _numeral(row.number), row.label):
            out.whole_labels.add(row.key)
        if hit.by_order:
            out.notes.append(note("row_by_order", f"表三“{out.labels[row.key].strip()}”的行名未能识别，按格式规定的"
                                  f"行序认定为“{row.number}{T._short(row.label)}”行", paths, line=hit.first_line))
        used += hit.labels[-1:] + hit.cells
        _place_request_row(out, row, hit, run_together, pending, solid=solid, series=series.get(row.key), slots=slots)
    if pending:
        _settle_pending(out, pending, tuple(r.key for r in rows), first, series)
    out.notes = _merge_notes(out.notes)
    used.sort(key=lambda t: t.index)
    out.lines = span(used)
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
    _resolve_jointly(out, pending, hits, identities)


def _resolve_jointly(out: TableRead, pending: dict, hits: dict, identities) -> None:
    """The rows still open, tried together (at most 20,000 combinations): a row is filled when one of
    its splits is in every combination the column identities allow."""
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
        code, message = "digits_split", ROW_NOTES["digits_split"].format(table="表三", label=label) + "（结合各列勾稽关系）"
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
        tail = ROW_NOTES[code].split("”行", 1)[1]  # the words after the row in the registry's message
        out.append(
            note(code,
                f"表三以下{len(group)}行{tail}：{labels}",
                cells=[c for n in group for c in n.cells],
                line=group[0].line,
            )
        )
    return out
