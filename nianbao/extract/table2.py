"""Table 2 (主动公开政府信息情况): its template version (2019 or 2021 columns) and its rows."""

from __future__ import annotations

from .. import template as T
from .cells import MISSING, TableRead, fused, missing_code, read_cells, row_note, span, trace_entry, whole_label
from .normalize import key
from .notes import note
from .variants import active_label_differs
from .rows import RowHit, active_matcher, align_by_order, collect_rows
from .tokens import LABEL, Token


def detect_active_version(tokens: list[Token]) -> str | None:
    text = "".join(key(t.raw) for t in tokens if t.kind == LABEL)
    scores = {v: sum(1 for m in marks if key(m) in text) for v, marks in T.TEMPLATE_MARKERS.items()}
    if scores["2021"] == scores["2019"]:
        if "对外管理服务" in text or "集中采购" in text:
            return "2019"
        return None
    return max(scores, key=scores.get)


def _version_by_rows(tokens: list[Token]) -> str | None:
    """A table 2 without column headers: its version by the rows it has (2019 has 其他对外管理服务事项,
    政府集中采购 and three numbers for 行政许可); None when no row is found."""
    hits, _ = collect_rows(tokens, active_matcher("2019"))
    keys = {h.key for h in hits}
    if keys & {"other_services", "procurement"} or any(len(h.values) >= 3 for h in hits if h.key == "licensing"):
        return "2019"
    return "2021" if hits else None


def read_active(tokens: list[Token], fallback_version: str | None) -> TableRead:
    version = detect_active_version(tokens) or fallback_version or _version_by_rows(tokens)
    if version is None:
        return TableRead(None)
    matcher = active_matcher(version)
    hits, orphans = collect_rows(tokens, matcher, keep_unnamed=True)
    # a mistyped label (行政可, 规性文件) is named by its place between the rows named by their labels
    rows = T.ACTIVE_ROWS[version]
    hits, loose = align_by_order(hits, [r.key for r in rows], None, {r.key: r.label for r in rows})
    orphans = orphans + [t for h in loose for t in h.values]
    if not hits:
        return TableRead(None, version=version)
    absent = missing_code(orphans)
    out = TableRead({}, version=version, headers=[t.raw for t in tokens if t.kind == LABEL])
    seen: dict[str, RowHit] = {}
    for hit in hits:
        seen.setdefault(hit.key, hit)
    used: list[Token] = []
    run_together = fused(list(seen.values()))
    for row in T.ACTIVE_ROWS[version]:
        fields = [f.key for f in row.fields]
        out.table[row.key] = {f: None for f in fields}
        hit = seen.get(row.key)
        paths = [T.ac(row.key, f) for f in fields]
        if hit is None:
            out.notes.append(note(absent, MISSING[absent].format(table="表二", label=row.label), paths))
            continue
        out.labels[row.key] = " ".join(t.raw for t in hit.labels[-1:])
        if active_label_differs(out.labels[row.key], row) and whole_label(
                out.labels[row.key], row.key, matcher, hit.by_order, True, row.label):
            out.whole_labels.add(row.key)
        if hit.by_order:
            out.notes.append(note("row_by_order", f"表二“{out.labels[row.key].strip()}”的行名未能识别，按格式规定的"
                                  f"行序认定为“{row.label}”行", paths, line=hit.first_line))
        used += hit.labels[-1:] + hit.cells
        cells = read_cells(hit, len(fields), (), [f.kind for f in row.fields], run_together)
        out.trace.append(trace_entry(row.key, row.label, hit, cells))
        for path, f, v, p in zip(paths, fields, cells.values, cells.provenance):
            out.table[row.key][f] = v
            if p is not None:
                out.provenance[path] = p
        if cells.code:
            out.notes.append(row_note(cells.code, "表二", row.label, paths, hit.first_line, cells))
    used.sort(key=lambda t: t.index)
    out.lines = span(used)
    return out
