"""``nianbao check`` and ``nianbao rules``: run the rule registry over reports (spec §6)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import app
from .common import apply_limits, emit_json, err_console, limit_option, out_console, read_batch


@app.command()
def check(
    files: List[Path] = typer.Argument(..., help="报告文件（HTML、PDF、DOCX、TXT、Markdown）、目录（递归）或 zip 压缩包"),
    json_out: bool = typer.Option(False, "--json", help="每个文件输出一行 JSON (JSON Lines)，含 findings"),
    limit: Optional[List[str]] = limit_option(),
) -> None:
    """核查年报：表内勾稽关系、格式、正文与表格是否一致。Check reports against every rule.

    Exit status 1 when any finding is an error or any file cannot be read.

    Example: nianbao check report.html reports/ batch.zip --json
    """
    apply_limits(limit)
    from ..check.terminal import print_findings
    from ..pipeline import inputs

    failed = errors = 0
    for done in read_batch(list(inputs(files)), True, json_out):
        if done.report is None:
            failed += 1
            if json_out:
                emit_json(done.error)
            err_console.print(f"[red]无法读取[/red] {done.error['error']['message']}", markup=True, highlight=False)
            continue
        errors += sum(1 for f in done.report.findings if f.severity == "error")
        if json_out:
            emit_json(done.to_json())
        else:
            print_findings(done.report, out_console)
    raise typer.Exit(1 if failed or errors else 0)


@app.command()
def rules(
    json_out: bool = typer.Option(False, "--json", help="每条规则输出一行 JSON (JSON Lines)"),
) -> None:
    """列出全部核查规则。List the checker's rules.

    Example: nianbao rules --json
    """
    from ..check import RULES
    from ..check.terminal import print_rules, rule_dict

    if json_out:
        for r in RULES.values():
            emit_json(rule_dict(r))
    else:
        print_rules(list(RULES.values()), out_console)
