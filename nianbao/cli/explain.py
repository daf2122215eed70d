"""``nianbao explain``: what each reader stage found in one file, and why any cell is unread (spec §8)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import app
from .common import apply_limits, emit_json, err_console, limit_option, out_console

_STATUS = {"complete": "完整读取", "partial": "部分读取，需人工核对"}
_MATCH = {"exact": "行名一致", "keyword": "行名有出入（按关键词认定）", "by_order": "按格式顺序认定", "grid": "按表格位置"}
_TABLES = {"active": "表二", "requests": "表三", "appeals": "表四"}


@app.command()
def explain(
    file: Path = typer.Argument(..., help="一个报告文件"),
    json_out: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
    limit: Optional[List[str]] = limit_option(),
) -> None:
    """逐个环节说明读取过程：分段、表格位置、每行的匹配和数字、无法读取的单元格及原因。

    Explain, stage by stage, how a file was read and why any cell is unread.

    Example: nianbao explain report.txt
    """
    apply_limits(limit)
    from .. import limits
    from ..errors import NianbaoError
    from ..parse import error_object, explain_bytes

    try:
        if not file.exists():  # as parse says it: the path, and that nothing is there
            raise NianbaoError(f"{file}: 文件或目录不存在", str(file))
        data = limits.read_file(file)  # a regular file only, within the size limit
        report, trace = explain_bytes(data, str(file))
    except Exception as exc:  # one error boundary: the file's problem, said plainly
        obj = error_object(str(file), exc, None)
        if json_out:
            emit_json(obj)
        err_console.print(f"[red]无法读取[/red] {obj['error']['message']}")
        raise typer.Exit(1)
    trace["reading"] = report.reading.model_dump(mode="json")
    trace["meta"] = report.meta.model_dump(mode="json")
    if json_out:
        emit_json(trace)
        return
    _print(trace, str(file))


def _print(trace: dict, path: str) -> None:
    c = out_console
    reading = trace["reading"]
    c.print(f"[bold]{path}[/bold]  格式 {trace['format']}（读取器 {trace['reader']}），{trace['lines']} 行")
    c.print(f"读取状态：{_STATUS[reading['status']]}；无法读取的单元格 {len(reading['unread'])} 个")
    meta = trace["meta"]
    c.print(f"元数据：{meta['agency'] or '（机关未知）'}｜{meta['year'] or '（年度未知）'}年度｜"
            f"{meta['template'] or '？'}年版格式｜发布 {meta['published'] or '（未注明）'}")
    if trace.get("hints"):
        c.print("页面信息：" + "；".join(f"{k}={v}" for k, v in trace["hints"].items()))
    c.print("\n[bold]1 分段[/bold]（长行按格式用语切开）")
    for s in trace["segments"][:80]:
        c.print(f"  第{s['line']}行 第{s['offset']}字  {s['text']}")
    if not trace["segments"]:
        c.print("  （无需切分）")
    c.print("\n[bold]2 各部分标题[/bold]")
    for h in trace["headings"]:
        c.print(f"  {h['chapter']:9s} 第{h['line']}行  {h['text']}")
    c.print("\n[bold]3 表格与各行[/bold]")
    for name, t in trace.get("tables", {}).items():
        where = f"第{t['start']['line']}行" if t.get("start") else "？"
        c.print(f"  {_TABLES[name]}：始于{where}" + (f"，{t['version']}年版" if t.get("version") else ""))
        for row in t["rows"]:
            if "arbitration" in row:
                a = row["arbitration"]
                c.print(f"    两种读取的比较（勾稽不成立处数, 无法读取数）：按行名 {tuple(a['label'])}，按行序 {tuple(a['order'])}",
                        markup=False)
                continue
            cells = " ".join("·" if v is None else str(v) for v in row["cells"])
            extra = f"，候选拆分 {row['candidates']} 种" if row["candidates"] > 1 else ""
            c.print(f"    {row['row']:24s} {_MATCH.get(row['match'], row['match'])}；印出 {' '.join(row['printed']) or '（无）'}"
                    f" → {cells}" + (f"  （{row['code']}{extra}）" if row["code"] else ""), markup=False)
    c.print("\n[bold]4 无法读取的单元格及原因[/bold]")
    if not trace["unread"]:
        c.print("  无")
    reasons: dict[str, list[str]] = {}
    for cell, why in trace["unread"].items():
        reasons.setdefault(why, []).append(cell)
    for why, cells in reasons.items():
        c.print(f"  {why}\n    {', '.join(cells[:8])}" + (f" 等{len(cells)}个" if len(cells) > 8 else ""), markup=False)
