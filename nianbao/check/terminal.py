"""The checker's terminal output: findings grouped by table, errors first, in Chinese."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import template as T
from ..model import Finding, Report
from .registry import Rule

SEVERITY_LABEL = T.SEVERITY_LABEL
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
GROUPS = tuple((k, T.table_heading(k)) for k in T.TABLE_KEYS) + (("other", "格式、年度与正文"),)


def finding_group(f: Finding) -> str:
    for c in f.cells:
        table = T.cell_table(c)
        if table is not None and not f.rule.startswith(("text.", "fees.")):
            return table
    return "other"


def print_findings(report: Report, console: Console) -> None:
    meta = report.meta
    head = meta.title or f"{meta.agency or '（机关不明）'}{meta.year or '（年度不明）'}年度报告"
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITY_LABEL}
    summary = "，".join(f"{SEVERITY_LABEL[s]}{n}条" for s, n in counts.items())
    console.print(f"[bold]{escape(report.source.path)}[/bold]  {escape(head)}", highlight=False)
    console.print(f"  年度 {meta.year or '不明'} · 格式 {meta.template or '不明'}年版 · {summary}", highlight=False)
    if report.reading.status == "partial":
        n = len(report.reading.unread)
        console.print(f"  [bold yellow]部分读取，需人工核对[/bold yellow]（{n} 个单元格未能读取）", highlight=False)
    if not report.findings and report.reading.status == "partial":
        console.print()
        return
    if not report.findings:
        console.print("  未发现问题\n", style="green")
        return
    order = T.SEVERITY_ORDER
    groups = []
    for key, title in GROUPS:
        items = sorted((f for f in report.findings if finding_group(f) == key), key=lambda f: order[f.severity])
        if items:
            groups.append((order[items[0].severity], title, items))
    # errors first: the groups holding errors come first, each group's findings errors first
    for _, title, items in sorted(groups, key=lambda g: g[0]):
        console.print(f"  [bold]{title}[/bold]", highlight=False)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=4)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for f in items:
            style = SEVERITY_STYLE[f.severity]
            grid.add_row(
                "",
                f"[{style}]{SEVERITY_LABEL[f.severity]}[/{style}]",
                f"{escape(f.message)} [dim]({f.rule})[/dim]",
            )
        console.print(grid, highlight=False)
    console.print()


def rule_dict(r: Rule) -> dict:
    return r.to_dict()


def print_rules(rules: list[Rule], console: Console) -> None:
    table = Table(title=f"核查规则（共{len(rules)}条）", show_lines=False)
    table.add_column("规则", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("格式", no_wrap=True)
    table.add_column("说明")
    for r in rules:
        table.add_row(
            r.id,
            SEVERITY_LABEL[r.severity],
            "、".join(r.versions),
            escape(r.title + ("（跨年度）" if r.scope == "pair" else "")),
        )
    console.print(table)
