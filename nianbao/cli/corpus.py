"""Corpus commands (spec §7): ingest, reparse, findings, coverage, compare, export, agencies.

Each body opens the store and calls one function of :mod:`nianbao.store`; library errors become a
Chinese message on standard error and exit status 2 (usage) or 1."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import NianbaoError
from ..numbers import format_number
from ..template import SEVERITY_LABEL
from . import app
from .common import apply_limits, emit_json, err_console, limit_option, out_console

DB_HELP = "数据库：文件路径或 postgresql:// 地址（默认：$NIANBAO_DB 或用户数据目录下的 nianbao.db）"
STATUS_LABEL = {"new": "新增", "unchanged": "未变", "reparsed": "重新读取", "duplicate": "并入已有报告", "failed": "失败"}


def _open(db: Optional[str]):
    from ..errors import NianbaoError
    from ..store import open_store

    try:
        return open_store(db)
    except NianbaoError as e:
        err_console.print(f"[red]无法打开数据库[/red] {e.message}")
        raise typer.Exit(2)


def _fail(e: Exception, code: int = 1):
    from rich.markup import escape

    from ..errors import NianbaoError

    msg = e.message if isinstance(e, NianbaoError) else f"{type(e).__name__}: {e}"
    # one line, never cut inside a path; a message's own brackets are text, not markup
    err_console.print(f"[red]错误[/red] {escape(msg)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


QUIET_HELP = "不显示进度和汇总（失败的文件仍会列出）"


def _run_ingest(results, json_out: bool, total: int | None, label: str, quiet: bool = False) -> None:
    """Show the progress of an ingest or reparse (``progress.Progress``: a bar on a terminal,
    plain lines when piped, nothing with ``quiet``), then its summary; exit 1 when a file failed,
    130 on Ctrl-C (what was written is kept whole; the next run goes on from there)."""
    from rich.markup import escape

    from .progress import Progress

    counts = {s: 0 for s in STATUS_LABEL}
    with Progress(label, total, err_console, quiet=quiet) as progress:
        try:
            for r in results:
                counts[r.status] += 1
                if json_out:
                    emit_json(r.to_json())
                if r.status == "failed":
                    msg = r.error["message"] if r.error else r.path
                    progress.print(f"[red]失败[/red] {escape(msg)}")
                progress.advance(note=" ".join(f"{STATUS_LABEL[k]} {v}" for k, v in counts.items() if v))
        except KeyboardInterrupt:
            progress.stop()
            close = getattr(results, "close", None)
            if close is not None:
                close()  # the reading processes stopped, the batch being written rolled back
            err_console.print("[yellow]已中断[/yellow]：已写入的报告完整保存，未完成的报告未写入；重新运行即可继续。")
            raise typer.Exit(130)
    n = sum(counts.values())
    if not quiet:
        summary = "，".join(f"{STATUS_LABEL[k]} {v}" for k, v in counts.items())
        err_console.print(f"共 {n} 个文件：{summary}（用时 {progress.elapsed:.1f} 秒）", highlight=False, soft_wrap=True)
    raise typer.Exit(1 if counts["failed"] else 0)


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="文件、目录（递归）或 zip 压缩包"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="每个文件输出一行 JSON"),
    workers: Optional[int] = typer.Option(None, "--workers", help="解析进程数（默认为 CPU 核数）"),
    dask: Optional[str] = typer.Option(None, "--dask", help="在 Dask 集群上读取：调度器地址 tcp://host:8786，或 local"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
    limit: Optional[List[str]] = limit_option(),
) -> None:
    """把年报存入语料库：解析、核查，并与上一年度比对。Ingest reports into the corpus.

    Example: nianbao ingest reports/ archive.zip --db corpus.db
    """
    _limits(limit, dask)
    if dask is None:
        from ..limits import start_early

        start_early(workers)  # the reading processes' imports meanwhile, on another core
    from ..pipeline import ingest_inputs, inputs as expand

    store = _open(db)
    inputs = list(expand(paths))
    with _engine(dask) as engine:
        _run_ingest(ingest_inputs(store, inputs, workers=workers, engine=engine), json_out, len(inputs), "入库", quiet)


@app.command()
def reparse(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="每个报告输出一行 JSON"),
    all_reports: bool = typer.Option(False, "--all", help="重新读取全部报告（默认只读取旧版本读取的报告）"),
    workers: Optional[int] = typer.Option(None, "--workers", help="解析进程数"),
    dask: Optional[str] = typer.Option(None, "--dask", help="在 Dask 集群上读取：调度器地址 tcp://host:8786，或 local"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
    limit: Optional[List[str]] = limit_option(),
) -> None:
    """用新版读取程序重新读取库中保存的原始文件。Re-read stored originals with the current reader.

    Example: nianbao reparse --all --db corpus.db --limit seconds=60
    """
    _limits(limit, dask)
    from ..pipeline import reparse as do_reparse, stale

    store = _open(db)
    if all_reports:
        from sqlalchemy import func, select

        from ..store import schema as S

        with store.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(S.reports)).scalar_one()
    else:
        total = len(stale(store))
        if total == 0:
            if not quiet:
                err_console.print("没有需要重新读取的报告：库中报告均由当前版本读取（--all 重新读取全部）", highlight=False)
            raise typer.Exit(0)
    with _engine(dask) as engine:
        _run_ingest(do_reparse(store, all_reports=all_reports, workers=workers, engine=engine), json_out, total, "重新读取", quiet)


def _limits(assignments: list[str] | None, dask: str | None) -> None:
    """``--limit`` for the reading processes of this machine; a Dask cluster's workers read under
    their own environment, which this process cannot change: refused rather than ignored."""
    if assignments and dask is not None:
        err_console.print("[red]错误[/red] --limit 只作用于本机的读取进程；使用 --dask 时请在集群各节点设置环境变量"
                          " NIANBAO_MAX_*", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    apply_limits(assignments)


@contextmanager
def _engine(address: str | None):
    """A Dask client for ``--dask`` (closed afterwards), or None for the local process pool."""
    if address is None:
        yield None
        return
    from ..store.engines import dask_client

    try:
        client = dask_client(address)
    except NianbaoError as e:
        err_console.print(f"[red]{e.message}[/red]")
        raise typer.Exit(2) from e
    try:
        yield client
    finally:
        client.close()


@app.command()
def findings(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称（包含即可）"),
    year: Optional[int] = typer.Option(None, "--year", help="年度"),
    severity: Optional[str] = typer.Option(None, "--severity", help="error | warning | info"),
    rule: Optional[str] = typer.Option(None, "--rule", help="规则编号"),
    state: Optional[str] = typer.Option(None, "--state", help="open | confirmed | dismissed | explained | resolved"),
    json_out: bool = typer.Option(False, "--json", help="每个问题输出一行 JSON"),
) -> None:
    """列出语料库中的问题（含跨年度比对）及其处理状态。List stored findings, cross-year ones included."""
    from ..model import SEVERITIES
    from ..store import iter_findings
    from ..store.review import STATE_LABEL, STATES

    if severity is not None and severity not in SEVERITIES:
        err_console.print(f"[red]错误[/red] --severity {severity}：可用 {' | '.join(SEVERITIES)}")
        raise typer.Exit(2)
    if state is not None and state not in STATES:
        err_console.print(f"[red]错误[/red] --state {state}：可用 {' | '.join(STATES)}")
        raise typer.Exit(2)
    store = _open(db)
    n = 0
    for f in iter_findings(store, agency=agency, year=year, severity=severity, rule=rule, state=state):
        n += 1
        if json_out:
            emit_json({k: v for k, v in f.items() if k != "origin"})
        else:
            out_console.print(
                f"[bold]{f['agency'] or Path(f['source']['path']).name} {f['year'] or ''}[/bold] "
                f"{SEVERITY_LABEL.get(f['severity'], f['severity'])} {f['rule']}：{f['message']}"
                f" [dim]（{f.get('id', '')}，{STATE_LABEL.get(f.get('state', 'open'), '')}）[/dim]",
                highlight=False,
            )
    if not json_out:
        err_console.print(f"共 {n} 条问题")


@app.command()
def coverage(
    year: int = typer.Option(..., "--year", help="报告年度"),
    region: Optional[str] = typer.Option(None, "--region", help="地区名称（省、市、县或乡镇）"),
    agencies: Optional[Path] = typer.Option(None, "--agencies", help="机关名单文件：每行一个名称，或 CSV/XLSX（名称、地区、类别三列）"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
) -> None:
    """哪些机关已发布、哪些未发布某年度的年报。Who has published a year's report and who has not."""
    from ..store import coverage as do_coverage

    if region and agencies:
        err_console.print("[red]错误[/red] --region 与 --agencies 只能选一个")
        raise typer.Exit(2)
    names = None
    if agencies is not None:
        # one name a line, or CSV/XLSX with 名称/地区/类别 columns; bad rows are listed, the rest used
        from ..store.roster import RosterError, read_roster_file

        try:
            parsed = read_roster_file(agencies)
        except RosterError as e:
            err_console.print(f"[red]错误[/red] {e.message}")
            raise typer.Exit(2)
        for p in parsed.problems:
            err_console.print(f"[yellow]跳过[/yellow] {agencies} 第 {p.row} 行：{p.message}", highlight=False, soft_wrap=True)
        names = [e.lookup for e in parsed.entries]
    store = _open(db)
    result = do_coverage(store, year, region=region, agencies=names)
    if json_out:
        emit_json(result)
        return
    pub, miss = result["published"], result["missing"]
    total = len(pub) + len(miss)
    scope = f"{region}" if region else ("名单所列机关" if names is not None else "库中全部机关")
    out_console.print(f"[bold]{year}年度年报发布情况（{scope}）[/bold]：应发布 {total}，已发布 {len(pub)}，未发布 {len(miss)}")
    for m in miss:
        out_console.print(f"  [red]未发布[/red] {m['agency']}", highlight=False)
    for p in pub:
        out_console.print(f"  已发布 {p['agency']}（报告 {p['report_id']}）", highlight=False)


@app.command()
def compare(
    agency: str = typer.Argument(..., help="机关名称"),
    year1: int = typer.Argument(..., help="年度一"),
    year2: int = typer.Argument(..., help="年度二"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
    all_cells: bool = typer.Option(False, "--all", help="显示全部单元格（默认只显示有变化的）"),
) -> None:
    """同一机关两个年度的年报对照。Compare one agency's reports of two years side by side."""
    from ..errors import NianbaoError
    from ..store import compare as do_compare

    store = _open(db)
    try:
        result = do_compare(store, agency, year1, year2)
    except NianbaoError as e:
        _fail(e)
    if json_out:
        emit_json(result)
        return
    _print_compare(result, all_cells)


def _fmt(v) -> str:
    return format_number(v, "—")


def _print_compare(result: dict, all_cells: bool) -> None:
    from rich.table import Table

    y1, y2 = result["years"]
    out_console.print(f"[bold]{result['agency']}[/bold] {y1}年与{y2}年年报对照", highlight=False)
    for y, rid, st in zip(result["years"], result["reports"], result["status"]):
        if rid is None:
            out_console.print(f"  [red]{y}年：库中没有该机关的报告[/red]")
        elif st == "unreadable":
            out_console.print(f"  [red]{y}年：报告 {rid} 未能读取[/red]")
    t = Table(title="表格数据对照" + ("" if all_cells else "（仅列出有变化或缺失的单元格）"), show_lines=False)
    t.add_column("单元格")
    t.add_column(f"{y1}年", justify="right")
    t.add_column(f"{y2}年", justify="right")
    t.add_column("变化", justify="right")
    shown = 0
    for c in result["cells"]:
        if not all_cells and c["difference"] == 0:
            continue
        d = c["difference"]
        t.add_row(c["label"], _fmt(c["values"][0]), _fmt(c["values"][1]), ("+" if d and d > 0 else "") + _fmt(d))
        shown += 1
    if shown:
        out_console.print(t)
    else:
        out_console.print("两年表格数据完全相同。")
    m = Table(title="指标")
    m.add_column("指标")
    m.add_column(f"{y1}年", justify="right")
    m.add_column(f"{y2}年", justify="right")
    m.add_column("口径")
    for x in result["metrics"]:
        m.add_row(x["label"], *[("—" if v is None else f"{v:.1%}") for v in x["values"]], x["denominator"])
    out_console.print(m)
    for y, fs in zip(result["years"], result["findings"]):
        out_console.print(f"[bold]{y}年的问题[/bold]（{len(fs)} 条）")
        for f in fs:
            out_console.print(f"  {SEVERITY_LABEL.get(f['severity'], f['severity'])} {f['rule']}：{f['message']}", highlight=False)


@app.command()
def export(
    out: Path = typer.Argument(..., help="输出文件（.csv、.xlsx、.parquet）"),
    shape: str = typer.Option("wide", "--shape", help="wide（每份报告一行）| long（每个单元格一行）| findings（问题）"),
    fmt: Optional[str] = typer.Option(None, "--format", help="csv | xlsx | parquet（默认按扩展名）"),
    chinese_headers: bool = typer.Option(False, "--chinese-headers", help="使用中文列名"),
    year: Optional[int] = typer.Option(None, "--year"),
    region: Optional[str] = typer.Option(None, "--region"),
    agency: Optional[str] = typer.Option(None, "--agency"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度和汇总"),
) -> None:
    """导出语料库：CSV、Excel 或 Parquet。Export the corpus as CSV, Excel or Parquet."""
    from ..errors import NianbaoError
    from ..store import export as do_export
    from ..store.export import export_total
    from .progress import Progress

    store = _open(db)
    try:
        filters = {"year": year, "agency": agency}
        if shape != "findings":
            filters["region"] = region
        total = export_total(store, shape, **filters) if not quiet else None
        with Progress("导出", total, err_console, quiet=quiet, unit="行") as progress:
            try:
                n = do_export(store, out, shape=shape, fmt=fmt, chinese_headers=chinese_headers,
                              progress=progress.advance, **filters)
            except KeyboardInterrupt:
                progress.stop()
                err_console.print(f"[yellow]已中断[/yellow]：未导出，{out} 未改动。", highlight=False)
                raise typer.Exit(130)
    except NianbaoError as e:
        _fail(e, 2 if e.code == "store_error" and "未知" in e.message else 1)
    if not quiet:
        err_console.print(f"已导出 {n} 行到 {out}（用时 {progress.elapsed:.1f} 秒）", highlight=False, soft_wrap=True)


@app.command()
def agencies(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ambiguous: bool = typer.Option(False, "--ambiguous", help="只列出无法确定所在地区的机关"),
    region: Optional[str] = typer.Option(None, "--region"),
    json_out: bool = typer.Option(False, "--json", help="每个机关输出一行 JSON"),
    resolve: Optional[str] = typer.Option(None, "--resolve", help="为这个机关指定地区（与 --region-code 一起用）"),
    region_code: Optional[str] = typer.Option(None, "--region-code", help="行政区划代码，如 371581108"),
) -> None:
    """列出库中的机关及其所在地区、类别；无法确定地区的列出候选。List agencies and their places.

    Example: nianbao agencies --ambiguous; nianbao agencies --resolve 潘庄镇人民政府 --region-code 371581108
    """
    from ..errors import NianbaoError
    from ..store import list_agencies, resolve_agency

    if (resolve is None) != (region_code is None):
        err_console.print("[red]错误[/red] --resolve 与 --region-code 须一起使用")
        raise typer.Exit(2)
    store = _open(db)
    if resolve is not None:
        try:
            a = resolve_agency(store, int(resolve) if resolve.isdigit() else resolve, region_code)
        except NianbaoError as e:
            _fail(e)
        place = "".join(x for x in (a.province, a.city, a.county, a.township) if x)
        err_console.print(f"已将 {a.name} 定位到 {place}（{a.region_code}）")
        return
    rows = list_agencies(store, placement="ambiguous" if ambiguous else None, region=region)
    for a in rows:
        if json_out:
            emit_json(a.to_json())
            continue
        place = "".join(x for x in (a.province, a.city, a.county, a.township) if x) or "—"
        tag = {"placed": "", "ambiguous": "[yellow]地区不明[/yellow] ", "unplaced": "[dim]未定位[/dim] "}[a.placement]
        years = "、".join(str(y) for y in a.years)
        out_console.print(f"{tag}{a.name}（{a.kind or '类别不明'}，{place}）报告 {a.reports} 份 {years}", highlight=False)
        for c in a.candidates:
            cplace = "".join(c.get(k) or "" for k in ("province", "city", "county", "township"))
            out_console.print(f"    候选：{cplace}（{c['code']}）", highlight=False)
    if not json_out:
        n_amb = sum(1 for a in rows if a.placement == "ambiguous")
        err_console.print(f"共 {len(rows)} 个机关，其中地区不明 {n_amb} 个")
