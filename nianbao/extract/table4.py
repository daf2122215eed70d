"""Table 4 (政府信息公开行政复议、行政诉讼情况): fifteen numbers under a three-row header, or three
labelled rows of five."""

from __future__ import annotations

from functools import lru_cache

from .. import template as T
from .cells import TableRead, fused, read_cells, row_note, span, trace_entry
from .normalize import key
from .place import Group
from .rows import Matcher, RowHit, collect_rows
from .tokens import LABEL, VALUE, Token

APPEAL_GROUPS: tuple[Group, ...] = tuple(((b * 5, b * 5 + 1, b * 5 + 2, b * 5 + 3), b * 5 + 4) for b in range(3))


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
    run_together = fused(hits)
    for hit in hits:
        paths = [T.ap(hit.key, f) for f in T.APPEAL_FIELD_KEYS]
        got = read_cells(hit, 5, (((0, 1, 2, 3), 4),), None, run_together)
        out.trace.append(trace_entry(hit.key, T.APPEAL_BLOCK_LABEL[hit.key], hit, got))
        used += hit.cells
        for path, f, v, p in zip(paths, T.APPEAL_FIELD_KEYS, got.values, got.provenance):
            out.table[hit.key][f] = v
            if p is not None:
                out.provenance[path] = p
        if got.code:
            out.notes.append(row_note(got.code, "表四", T.APPEAL_BLOCK_LABEL[hit.key], paths, hit.first_line, got))
    out.lines = span(sorted(used, key=lambda t: t.index))
    return out


def _under_header(tokens: list[Token]) -> list[Token]:
    """The cells after the last header word before the first number, up to the next label that is
    not a header word (a header word between numbers: the table printed label / number pairs)."""
    start = 0
    for i, tok in enumerate(tokens):
        if tok.kind == LABEL and any(h in key(tok.raw) for h in _APPEAL_HEADER):
            start = i + 1
        elif tok.kind == VALUE and start:
            break
    cells: list[Token] = []
    for tok in tokens[start:]:
        if tok.kind != LABEL:
            cells.append(tok)
        elif any(t.kind == VALUE for t in cells) and not any(h in key(tok.raw) for h in _APPEAL_HEADER):
            break
    return cells


def read_appeals(tokens: list[Token]) -> TableRead:
    """Table 4 has no row labels: its 15 numbers follow the three header rows (or, in some
    reports, each block is a labelled row of five)."""
    rows = _appeal_rows(tokens)
    if rows is not None:
        return rows
    cells = _under_header(tokens)
    values = [t for t in cells if t.kind == VALUE]
    if not values:
        return TableRead(None)
    cells = [t for t in cells if t.kind == VALUE or t.index >= values[0].index]  # not the header's empty cells
    hit = RowHit("appeals", [], cells)
    got = read_cells(hit, 15, APPEAL_GROUPS, None, fused([hit]))
    out = TableRead({b: {f: None for f in T.APPEAL_FIELD_KEYS} for b in T.APPEAL_BLOCK_KEYS})
    out.trace.append(trace_entry("appeals", "表四（一行十五栏）", hit, got))
    paths = [T.ap(b, f) for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]
    for path, v, p in zip(paths, got.values, got.provenance):
        _, _, b, f = path.split(".")
        out.table[b][f] = v
        if p is not None:
            out.provenance[path] = p
    if got.code:
        out.notes.append(row_note(got.code, "表四", "行政复议、行政诉讼", paths, cells[0].line, got))
    out.lines = span(cells)
    return out
