"""``nianbao parse``: read reports into the canonical model (spec §1)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from . import app
from .common import emit_json, err_console, out_console, with_progress


@app.command()
def parse(
    files: List[Path] = typer.Argument(..., help="报告文件：HTML、PDF、DOCX、TXT、Markdown"),
    json_out: bool = typer.Option(False, "--json", help="每个文件输出一行 JSON (JSON Lines)"),
) -> None:
    """读取年报，输出标准数据模型。Read reports into the canonical model.

    Example: nianbao parse report.html --json
    """
    from ..parse import error_object, parse_path
    from ..render.terminal import print_report

    failed = 0
    for path in with_progress(list(files), "读取", json_out):
        try:
            report = parse_path(path)
        except Exception as exc:  # one error boundary: every file gets a line
            failed += 1
            obj = error_object(str(path), exc, _read_or_none(path))
            if json_out:
                emit_json(obj)
            err_console.print(f"[red]无法读取[/red] {obj['error']['message']}")
            continue
        if json_out:
            emit_json(report.to_json_dict())
        else:
            print_report(report, out_console)
    raise typer.Exit(1 if failed else 0)


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
