"""A parsed report drawn in the terminal, in Chinese: metadata and the three tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .. import template as T
from ..model import Report
from ..numbers import format_number


READING_LABEL = {"complete": "完整读取", "partial": "部分读取，需人工核对"}


def fmt(value, unread: bool = False) -> str:
    """A cell in the terminal: 3481800 (never 3.4818e+06), —空— for a blank cell, ？ for a cell the
    reader could not read."""
    return "？" if unread and value is None else format_number(value, "—空—")


def _cell(report: Report, path: str) -> str:
    return fmt(report.get(path), path in set(report.reading.unread))


def meta_table(report: Report) -> Table:
    m = report.meta
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column(style="bold")
    t.add_column()
    t.add_row("文件", report.source.path)
    t.add_row("标题", m.title or "（未找到）")
    inferred = "meta.agency" in report.reading.inferred
    agency = (m.agency + ("（由正文推定）" if inferred else "")) if m.agency else "（未找到）"
    if "meta.agency" in report.reading.suggested:
        agency += f"（疑为“{report.reading.suggested['meta.agency']}”）"
    t.add_row("机关", agency)
    t.add_row("年度", str(m.year) if m.year else "（未找到）")
    t.add_row("格式", f"{m.template}年版" if m.template else "（无法判断）")
    t.add_row("发布日期", m.published or "（未注明）")
    t.add_row("读取方式", report.source.reader or "")
    unread = report.reading.unread
    status = READING_LABEL[report.reading.status]
    t.add_row("读取状态", status + (f"（{len(unread)}个单元格无法读取，见下方说明和 nianbao explain）" if unread else ""))
    return t


def active_table(report: Report) -> Table | None:
    data = report.tables.active
    if data is None or report.meta.template is None:
        return None
    t = Table(title=T.table_heading("active"), title_justify="left")
    t.add_column(T.ACTIVE_HEADER)
    t.add_column("数据")
    for row in T.ACTIVE_ROWS[report.meta.template]:
        t.add_row(row.label, "；".join(f"{f.label} {_cell(report, T.CellPath('active', row.key, f.key))}"
                                      for f in row.fields))
    return t


def requests_table(report: Report) -> Table | None:
    data = report.tables.requests
    if data is None:
        return None
    t = Table(title=T.table_heading("requests"), title_justify="left")
    t.add_column("项目")
    for _, label in T.REQUEST_COLUMNS:
        t.add_column(label, justify="right")
    for row_key, cols in data.items():
        row = T.REQUEST_ROW_BY_KEY[row_key]
        t.add_row(row.number + T.short_label(row.label),
                  *(_cell(report, T.CellPath("requests", row_key, c)) for c in T.REQUEST_COLUMN_KEYS))
    return t


def appeals_table(report: Report) -> Table | None:
    data = report.tables.appeals
    if data is None:
        return None
    t = Table(title=T.table_heading("appeals"), title_justify="left")
    t.add_column("类别")
    for _, label in T.APPEAL_FIELDS:
        t.add_column(label, justify="right")
    for b, label in T.APPEAL_BLOCKS:
        t.add_row(label, *(_cell(report, T.CellPath("appeals", b, f)) for f in T.APPEAL_FIELD_KEYS))
    return t


def print_report(report: Report, console: Console) -> None:
    console.rule(report.meta.title or report.source.path)
    console.print(meta_table(report))
    for make, key in ((active_table, "active"), (requests_table, "requests"), (appeals_table, "appeals")):
        table = make(report)
        console.print(table if table is not None else f"[yellow]{T.TABLE_LABEL[key]}：未找到[/yellow]")
    for note in report.notes:
        console.print(f"[dim]说明：{note.message}[/dim]")
