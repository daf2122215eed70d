"""``nianbao render`` and ``nianbao register``: write reports in the official format, and compute
tables 2 and 3 from an agency's own registers (spec §9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from . import app
from .common import err_console

_SUFFIX = {".html": "html", ".htm": "html", ".docx": "docx", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


def _load_report(path: Path):
    """One report object of spec §2 (a JSON object, or the first line of ``parse --json`` output)."""
    from pydantic import ValidationError

    from ..model import Report

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        err_console.print(f"[red]无法读取[/red] {path}: {e.strerror or e}")
        raise typer.Exit(2)
    except UnicodeDecodeError:
        err_console.print(f"[red]{path}: 不是 UTF-8 编码的 JSON 文件[/red]")
        raise typer.Exit(2)
    text = text.strip()
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        lines = [x for x in text.splitlines() if x.strip()]
        try:
            obj = json.loads(lines[0]) if lines else None
        except json.JSONDecodeError as e:
            err_console.print(f"[red]{path}: 不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列：{e.msg}）[/red]")
            raise typer.Exit(2)
        if len(lines) > 1:
            err_console.print(f"[yellow]{path}: 含 {len(lines)} 行 JSON，只输出第一份报告[/yellow]")
    if not isinstance(obj, dict):
        err_console.print(f"[red]{path}: 应为一个报告对象（JSON 对象），见 spec §2[/red]")
        raise typer.Exit(2)
    if "error" in obj and "tables" not in obj:
        err_console.print(f"[red]{path}: 这是一份读取失败的记录（{obj['error'].get('message', '')}），没有可输出的报告[/red]")
        raise typer.Exit(2)
    obj.setdefault("source", {"path": str(path), "sha256": ""})
    try:
        return Report.model_validate(obj)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        err_console.print(f"[red]{path}: 报告对象不符合数据模型：{where}：{first['msg']}[/red]")
        raise typer.Exit(2)


@app.command()
def render(
    report: Path = typer.Argument(..., help="报告对象 JSON（parse --json 的一行，或 register 生成的对象）"),
    to: Optional[str] = typer.Option(None, "--to", help="输出格式：html、docx、md、pdf（默认按 -o 的扩展名，否则 html）"),
    out: Path = typer.Option(..., "-o", "--output", help="输出文件"),
) -> None:
    """按国家规定的年报格式输出报告。Render a report object in the official format of its template.

    PDF 由 LibreOffice（soffice）转换 DOCX 生成，运行时检测。
    Example: nianbao render report.json --to docx -o 年报.docx
    """
    from ..errors import NianbaoError
    from ..render.official import FORMATS, render as render_report
    from ..template import cell_label

    fmt = to or _SUFFIX.get(out.suffix.lower(), "html")
    if fmt not in FORMATS:
        err_console.print(f"[red]不支持的输出格式 {fmt!r}，可选：{'、'.join(FORMATS)}[/red]")
        raise typer.Exit(2)
    r = _load_report(report)
    try:
        data, doc = render_report(r, fmt)
    except NianbaoError as e:
        err_console.print(f"[red]{e.message}[/red]")
        raise typer.Exit(1)
    for w in doc.warnings:
        err_console.print(f"[yellow]注意：{w}[/yellow]")
    if doc.missing:
        err_console.print(f"[yellow]注意：{len(doc.missing)} 个单元格没有数值，已留空：[/yellow]")
        for path in doc.missing[:20]:
            err_console.print(f"  {cell_label(path)}（{path}）")
        if len(doc.missing) > 20:
            err_console.print(f"  …… 另有 {len(doc.missing) - 20} 个")
    try:
        out.write_bytes(data)
    except OSError as e:
        err_console.print(f"[red]无法写入 {out}: {e.strerror or e}[/red]")
        raise typer.Exit(1)
