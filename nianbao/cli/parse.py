"""``nianbao parse``: read reports into the canonical model (spec §1)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import app
from .common import apply_limits, emit_json, err_console, limit_option, out_console, read_batch


@app.command()
def parse(
    files: List[Path] = typer.Argument(..., help="报告文件（HTML、PDF、DOCX、TXT、Markdown）、目录（递归）或 zip 压缩包"),
    json_out: bool = typer.Option(False, "--json", help="每个文件输出一行 JSON (JSON Lines)"),
    limit: Optional[List[str]] = limit_option(),
) -> None:
    """读取年报，输出标准数据模型。Read reports into the canonical model.

    Example: nianbao parse report.html reports/ batch.zip --json --limit pages=50
    """
    apply_limits(limit)
    from ..pipeline import inputs
    from ..render.terminal import print_report

    failed = 0
    for done in read_batch(list(inputs(files)), False, json_out):
        if done.report is None:
            failed += 1
            if json_out:
                emit_json(done.error)
            err_console.print(f"[red]无法读取[/red] {done.error['error']['message']}", markup=True, highlight=False)
        elif json_out:
            emit_json(done.to_json())
        else:
            print_report(done.report, out_console)
    raise typer.Exit(1 if failed else 0)
