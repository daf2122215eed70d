"""The three tables laid out as the official format draws them, ready for the Jinja partials.

Every label, key and span comes from :mod:`nianbao.template`; this module only decides where each
cell sits in the HTML grid (merged headers, the vertical ``三、本年度办理结果`` cell, the group labels
（三）…（六）) and what is known about it (value, raw text, source line or page, findings, overrides,
a change against another year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from .. import template as T
from ..model import Finding, Report

from ..numbers import format_number
from ..template import SEVERITY_LABEL, SEVERITY_ORDER  # noqa: F401  (the pages import them from here)


@dataclass
class Cell:
    """One value cell of a table, with everything the page shows about it."""

    path: str
    label: str
    value: Any = None
    present: bool = False  # the report has this key (a null value is present but unread)
    raw: Optional[str] = None
    line: Optional[int] = None
    page: Optional[int] = None
    severity: Optional[str] = None  # the worst finding on the cell
    messages: list[str] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    override: Optional[dict] = None  # the latest correction event of this cell
    original: Any = None  # the value as read, when overridden
    changed: bool = False  # differs from the compared report
    other_value: Any = None  # the compared report's value
    colspan: int = 1
    prefix: str = ""  # keeps ids unique when two reports share a page (比对)

    @property
    def display(self) -> str:
        return format_value(self.value)

    @property
    def css(self) -> str:
        out = ["v"]
        if self.severity:
            out.append(f"f-{self.severity}")
        if not self.present:
            out.append("absent")
        elif self.value is None:
            out.append("null")
        if self.override:
            out.append("overridden")
        if self.changed:
            out.append("changed")
        return " ".join(out)

    @property
    def anchor(self) -> str:
        return self.prefix + "c-" + self.path.replace(".", "-")


def format_value(value: Any) -> str:
    """A cell's value on a page: a blank cell is empty; numbers as :func:`nianbao.numbers.format_number`."""
    if isinstance(value, (int, float)) or value is None:
        return format_number(value)
    return str(value)


@dataclass
class CellContext:
    """What the tables need to know about a report besides its values."""

    report: Report
    findings: list[Finding]
    overrides: dict[str, dict] = field(default_factory=dict)  # path -> latest override event
    originals: dict[str, Any] = field(default_factory=dict)  # path -> value as read
    other: Optional[Report] = None  # the compared report (比对)
    prefix: str = ""

    def cell(self, path: str, colspan: int = 1) -> Cell:
        r = self.report
        c = Cell(path=path, label=T.cell_label(path), colspan=colspan, prefix=self.prefix)
        c.present = r.has(path)
        c.value = r.get(path)
        prov = r.provenance.get(path)
        if prov is not None:
            c.raw, c.line, c.page = prov.raw, prov.line, prov.page
        for i, f in enumerate(self.findings):
            if path in f.cells:
                c.finding_ids.append(i)
                c.messages.append(f.message)
                if c.severity is None or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[c.severity]:
                    c.severity = f.severity
        if path in self.overrides:
            c.override = self.overrides[path]
            c.original = self.originals.get(path)
        if self.other is not None:
            c.other_value = self.other.get(path)
            c.changed = self.other.has(path) and c.present and c.other_value != c.value
        return c


# --------------------------------------------------------------------------- 表二


@dataclass
class ActiveBlock:
    caption: str
    headers: list[tuple[str, int]]  # (label, colspan) after 信息内容
    rows: list[tuple[str, list[Cell]]]  # (row label, cells)


ACTIVE_WIDTH = 3  # value columns after 信息内容


def active_layout(ctx: CellContext, version: str) -> list[ActiveBlock]:
    """表二 as stacked blocks: caption row, 信息内容 header row, data rows."""
    blocks: list[ActiveBlock] = []
    for row in T.ACTIVE_ROWS[version]:
        if not blocks or blocks[-1].caption != row.caption or _field_keys(blocks[-1]) != [f.key for f in row.fields]:
            blocks.append(ActiveBlock(row.caption, _spans([f.label for f in row.fields]), []))
        spans = [s for _, s in blocks[-1].headers]
        cells = [
            ctx.cell(T.ac(row.key, f.key), colspan=span) for f, span in zip(row.fields, spans)
        ]
        blocks[-1].rows.append((row.label, cells))
    return blocks


def _spans(labels: list[str]) -> list[tuple[str, int]]:
    """Fields fill the three value columns; the last one spans what is left."""
    out = [(label, 1) for label in labels]
    if out and len(out) < ACTIVE_WIDTH:
        last, _ = out[-1]
        out[-1] = (last, ACTIVE_WIDTH - len(out) + 1)
    return out


def _field_keys(block: ActiveBlock) -> list[str]:
    if not block.rows:
        return []
    return [c.path.rsplit(".", 1)[1] for c in block.rows[0][1]]


# --------------------------------------------------------------------------- 表三


@dataclass
class RequestLine:
    """One data row of 表三 with the label cells it opens (merged cells appear once)."""

    key: str
    labels: list[dict]  # each: {"text", "colspan", "rowspan", "css"}
    cells: list[Cell]


def other_split_of(report: Report) -> Optional[bool]:
    """How the report prints （六）: three sub-rows (True), one row (False) or as its version says."""
    rows = report.tables.requests or {}
    if any(k in rows for k in T.OTHER_SPLIT_KEYS):
        return True
    if "other_handling" in rows:
        return False
    return None


def request_layout(ctx: CellContext, version: str) -> list[RequestLine]:
    """表三's data rows with the official left label area (3 columns wide)."""
    rows = T.request_rows(version, other_split_of(ctx.report))
    under_three = [r for r in rows if r.is_result or r.key == "processed_total"]
    group_sizes: dict[str, int] = {}
    for r in rows:
        if r.group and r.group.startswith("（"):
            group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    out: list[RequestLine] = []
    opened: set[str] = set()
    for r in rows:
        labels: list[dict] = []
        if r in under_three and "three" not in opened:
            opened.add("three")
            labels.append({"text": T.REQUEST_GROUPS[0][0], "colspan": 1, "rowspan": len(under_three), "css": "vgroup"})
        if r not in under_three:
            labels.append({"text": r.number + r.label, "colspan": 3, "rowspan": 1, "css": "l1"})
        elif r.group and r.group.startswith("（"):
            if r.group not in opened:
                opened.add(r.group)
                labels.append({"text": r.group, "colspan": 1, "rowspan": group_sizes[r.group], "css": "l2 group"})
            labels.append({"text": r.number + r.label, "colspan": 1, "rowspan": 1, "css": "l3"})
        else:
            labels.append({"text": r.number + r.label, "colspan": 2, "rowspan": 1, "css": "l2"})
        cells = [ctx.cell(T.rq(r.key, col)) for col in T.REQUEST_COLUMN_KEYS]
        out.append(RequestLine(r.key, labels, cells))
    return out




# --------------------------------------------------------------------------- 表四


def appeal_layout(ctx: CellContext) -> list[Cell]:
    """表四's one data row of 15 values, blocks in official order."""
    return [ctx.cell(T.ap(b, f)) for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]


APPEAL_LITIGATION = "行政诉讼"


def appeal_header() -> dict:
    """The merged header of 表四, labels from the template (``行政诉讼·未经复议直接起诉`` → two levels)."""
    blocks = []
    for key, label in T.APPEAL_BLOCKS:
        top, _, sub = label.partition("·")
        blocks.append({"key": key, "top": top, "sub": sub})
    return {"blocks": blocks, "fields": [label for _, label in T.APPEAL_FIELDS]}


# --------------------------------------------------------------------------- the whole report


@dataclass
class ReportTables:
    version: str
    version_known: bool
    active: Optional[list[ActiveBlock]]
    requests: Optional[list[RequestLine]]
    appeals: Optional[list[Cell]]
    cells: dict[str, Cell]


def report_tables(ctx: CellContext) -> ReportTables:
    """Lay out the three tables of a report; a table the report lacks is None."""
    r = ctx.report
    known = r.meta.template in T.VERSIONS
    version = r.meta.template if known else (T.template_for_year(r.meta.year) or "2021")
    active = active_layout(ctx, version) if r.tables.active is not None else None
    requests = request_layout(ctx, version) if r.tables.requests is not None else None
    appeals = appeal_layout(ctx) if r.tables.appeals is not None else None
    cells: dict[str, Cell] = {}
    for block in active or []:
        for _, row_cells in block.rows:
            cells.update((c.path, c) for c in row_cells)
    for line in requests or []:
        cells.update((c.path, c) for c in line.cells)
    cells.update((c.path, c) for c in appeals or [])
    return ReportTables(version, known, active, requests, appeals, cells)


table_of = T.cell_table


OTHER_GROUP = "正文及其他"  # findings about the text, the title or the format, not a table cell


def findings_by_table(findings: Iterable[Finding]) -> list[tuple[str, list[tuple[int, Finding]]]]:
    """Findings grouped by the table of their first cell (表二/表三/表四, then the rest), worst first."""
    groups: dict[str, list[tuple[int, Finding]]] = {}
    for i, f in enumerate(findings):
        table = next((table_of(c) for c in f.cells if table_of(c)), None)
        groups.setdefault(T.TABLE_LABEL.get(table or "", OTHER_GROUP), []).append((i, f))
    order = [T.TABLE_LABEL[k] for k in T.TABLE_KEYS] + [OTHER_GROUP]
    out = [
        (name, sorted(groups[name], key=lambda p: SEVERITY_ORDER[p[1].severity]))
        for name in order
        if name in groups
    ]
    # The table with the worst finding comes first; tables keep their order among equals.
    return sorted(out, key=lambda g: SEVERITY_ORDER[g[1][0][1].severity])


def cells_summary(paths: Iterable[str]) -> list[tuple[str, str]]:
    """Short Chinese names of a finding's cells, each with the first cell it names: cells of one
    表三 row are named once with their columns (表三“一、本年新收…”行：自然人、总计列); others
    by their full label."""
    items: list[list] = []  # [name or row key, first path, columns]
    by_row: dict[str, list] = {}
    for p in paths:
        cp = T.CellPath.parse(p) if T.cell_table(p) else None
        if cp is not None and cp.table == "requests" and cp.row in T.REQUEST_ROW_BY_KEY:
            if cp.row not in by_row:
                by_row[cp.row] = [cp.row, p, []]
                items.append(by_row[cp.row])
            by_row[cp.row][2].append(T.REQUEST_COLUMN_LABEL.get(cp.column, cp.column))
        else:
            items.append([T.cell_label(p), p, None])
    out = []
    for name, first, cols in items:
        if cols is not None:
            r = T.REQUEST_ROW_BY_KEY[name]
            label = T.short_label(r.number + r.label)
            name = f"表三“{label}”行：{'、'.join(cols)}列"
        out.append((name, first))
    return out
