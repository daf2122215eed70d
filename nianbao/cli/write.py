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


# --------------------------------------------------------------------------- register

register_app = typer.Typer(
    help="由本机关的台账生成年报表格：依申请公开台账 → 表三，主动公开记录 → 表二（spec §9）。",
    no_args_is_help=True,
)
app.add_typer(register_app, name="register")


def _calendar_years() -> str:
    from ..register.calendar import coverage

    return coverage()


@register_app.command("template")
def register_template(
    out: Path = typer.Option(Path("依申请公开台账.xlsx"), "-o", "--output", help="输出文件"),
    as_csv: bool = typer.Option(False, "--csv", help="输出 CSV（只有表头），而不是 XLSX"),
) -> None:
    """生成空白的依申请公开台账（XLSX：下拉选择申请人类型和办理结果，附填写说明）。

    Write an empty request register: the columns of spec §9; XLSX with drop-down lists and an
    instructions sheet, or CSV with --csv.
    """
    from ..register.io import write_request_template

    if as_csv and out.suffix.lower() == ".xlsx":
        out = out.with_suffix(".csv")
    try:
        write_request_template(out, as_csv=as_csv)
    except OSError as e:
        err_console.print(f"[red]无法写入 {out}: {e.strerror or e}[/red]")
        raise typer.Exit(1)
    err_console.print(f"已生成空白台账：{out}")


def _as_of(value: Optional[str]):
    import datetime as dt

    from ..register.calendar import covers
    from ..register.io import parse_date

    try:
        day = parse_date(value) if value else dt.date.today()
    except ValueError as e:
        err_console.print(f"[red]--as-of：{e}[/red]")
        raise typer.Exit(2)
    if not covers(day):
        what = f"--as-of {day.isoformat()}" if value else f"今天（{day.isoformat()}）"
        err_console.print(
            f"[red]{what} 超出节假日数据覆盖的年份（{_calendar_years()}年），无法计算工作日；"
            "请用 --as-of 指定范围内的日期，或升级 chinesecalendar 包[/red]"
        )
        raise typer.Exit(2)
    return day


@register_app.command("table3")
def register_table3(
    register: Path = typer.Argument(..., help="依申请公开台账（CSV 或 XLSX）"),
    year: Optional[int] = typer.Option(None, "--year", help="报告年度（默认：台账中最晚的收到日期所在年度）"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="计算未答复申请逾期天数的日期（默认今天）"),
    json_out: bool = typer.Option(False, "--json", help="输出一个 JSON 对象（spec §9）"),
) -> None:
    """由依申请公开台账计算表三、每件申请的答复期限和逾期清单。

    Table 3, the due date of every application (20 working days, 补正 restarts the period,
    extension +20, consultation days not counted) and the overdue list. Working days follow the
    official calendar of public holidays and adjusted working weekends (节假日和调休), from the
    chinesecalendar package (offline data; version 1.11 covers 2004–2026: a row dated outside
    the covered years is an error, an --as-of outside them a usage error). Rows are numbered as
    in the spreadsheet (header = row 1). Exit 1 when a row had to be left out, 2 for a usage error.
    """
    from ..errors import NianbaoError
    from ..register.io import REQUEST_COLUMNS, read_sheet
    from ..register.requests import table3

    day = _as_of(as_of)
    try:
        sheet = read_sheet(register, REQUEST_COLUMNS)
    except NianbaoError as e:
        err_console.print(f"[red]{e.message}[/red]")
        raise typer.Exit(2)
    result = table3(sheet, year, day)
    if json_out:
        from .common import emit_json

        emit_json(result.to_json())
    else:
        _print_table3(result, day)
    _print_errors(register, result.errors)
    raise typer.Exit(1 if result.errors else 0)


def _print_errors(path: Path, errors: list[dict]) -> None:
    """One line per problem, unwrapped (a clerk may grep or paste them)."""
    import sys

    for e in errors:
        print(f"{path} 第 {e['row']} 行“{e['column']}”：{e['message']}", file=sys.stderr)
    if errors:
        print(f"共 {len(errors)} 处问题；有问题的行未计入（另有说明的除外）", file=sys.stderr)


def _print_table3(result, as_of) -> None:
    from rich.table import Table

    from .. import template as T
    from .common import out_console

    t = Table(title=f"表三 收到和处理政府信息公开申请情况（{result.year}年，{result.template}年版格式）")
    t.add_column("", overflow="fold", min_width=16)
    for _, label in T.REQUEST_COLUMNS:
        t.add_column(label, justify="right", overflow="fold")
    for key, cols in result.requests.items():
        row = T.REQUEST_ROW_BY_KEY[key]
        t.add_row(row.number + row.label.split("（区分")[0], *(str(cols[c]) for c in T.REQUEST_COLUMN_KEYS))
    out_console.print(t)
    late = [d for d in result.deadlines if d["id"] in set(result.overdue)]
    if late:
        o = Table(title=f"逾期清单（未答复的计算到 {as_of.isoformat()}）")
        for h in ("编号", "收到日期", "答复期限", "答复日期", "逾期工作日"):
            o.add_column(h)
        for d in late:
            o.add_row(d["id"], d["received"], d["due"], d["replied"] or "未答复", str(d["overdue_days"]))
        out_console.print(o)
    else:
        out_console.print("没有逾期的申请。")


@register_app.command("table2")
def register_table2(
    records: Path = typer.Argument(..., help="主动公开记录（CSV 或 XLSX）：类别、事项、日期、废止日期、金额"),
    year: int = typer.Option(..., "--year", help="报告年度"),
    template: Optional[str] = typer.Option(None, "--template", help="表格格式：2019 或 2021（默认按年度）"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上一年的报告对象 JSON：结转现行有效件数（2021）、上一年项目数量（2019）"),
    json_out: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
) -> None:
    """由主动公开记录计算表二（现行有效件数、上一年项目数量由 --previous 结转）。

    Table 2 of the chosen template from a register of 规章, 规范性文件 and decisions by type and
    fees (spec §9). 金额 is in 元 (or 万元 when the header says 金额（万元）); table 2 amounts are
    in 万元. Exit 1 when a row had to be left out, 2 for a usage error.
    """
    from ..errors import NianbaoError
    from ..register.io import RECORD_COLUMNS, read_sheet
    from ..register.records import table2

    if template not in (None, "2019", "2021"):
        err_console.print(f"[red]--template 只能是 2019 或 2021，不是 {template}[/red]")
        raise typer.Exit(2)
    prev = _load_report(previous) if previous else None
    try:
        sheet = read_sheet(records, RECORD_COLUMNS)
    except NianbaoError as e:
        err_console.print(f"[red]{e.message}[/red]")
        raise typer.Exit(2)
    result = table2(sheet, year, template, prev)
    if json_out:
        from .common import emit_json

        emit_json(result.to_json())
    else:
        _print_table2(result)
    _print_errors(records, result.errors)
    raise typer.Exit(1 if result.errors else 0)


def _print_table2(result) -> None:
    from rich.table import Table

    from .. import template as T
    from .common import out_console

    t = Table(title=f"表二 主动公开政府信息情况（{result.year}年，{result.template}年版格式）")
    for h in ("信息内容", "项目", "数值"):
        t.add_column(h)
    for ar in T.ACTIVE_ROWS[result.template]:
        for f in ar.fields:
            path = T.ac(ar.key, f.key)
            mark = "（上年结转）" if path in result.carried else ""
            t.add_row(ar.label, f.label, f"{result.active[ar.key][f.key]}{mark}")
    out_console.print(t)
