"""Working on the corpus (spec §7): ``review`` a finding, ``correct`` a cell, a report's ``history``.

Refused input (unknown id, bad cell, non-number, negative count) gives a Chinese message on standard
error and exit status 1, and nothing is recorded."""

from __future__ import annotations

import getpass
from typing import Optional

import typer

from . import app
from .common import emit_json, err_console, out_console
from .corpus import DB_HELP, SEVERITY_LABEL, _fail, _open


def _who(by: Optional[str]) -> str:
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001  (no user name in some containers)
        return "本机用户"


@app.command()
def review(
    finding_id: str = typer.Argument(..., help="问题编号（nianbao findings --json 的 id）"),
    state: str = typer.Argument(..., help="confirmed（确认）| dismissed（排除）| explained（已说明）"),
    note: Optional[str] = typer.Option(None, "--note", help="说明或理由"),
    by: Optional[str] = typer.Option(None, "--by", help="处理人（默认：当前用户名）"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """处理一条问题：确认、排除或说明，记录处理人、时间和说明。Review a finding.

    Example: nianbao review 12-3fa9c2e1 dismissed --note "原表如此，已与机关核实" --by 张三
    """
    from ..errors import NianbaoError
    from ..store.review import STATE_LABEL, review as do_review

    store = _open(db)
    try:
        r = do_review(store, finding_id, state, note, _who(by))
    except NianbaoError as e:
        _fail(e)
    err_console.print(
        f"问题 {r.id}（{r.rule}）已标记为“{STATE_LABEL[state]}”" + ("，该问题目前已不再出现" if r.state == "resolved" else ""),
        highlight=False, soft_wrap=True,
    )


@app.command(context_settings={"ignore_unknown_options": True})  # a negative VALUE is refused with a message
def correct(
    report_id: int = typer.Argument(..., help="报告编号"),
    cell: str = typer.Argument(..., help="单元格，如 tables.requests.new_received.total"),
    value: str = typer.Argument(..., help="更正后的数值，或 null 表示没有数值"),
    note: Optional[str] = typer.Option(None, "--note", help="更正理由"),
    by: Optional[str] = typer.Option(None, "--by", help="更正人（默认：当前用户名）"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """更正一个单元格：原读取值保留，此后所有输出使用更正值，并立即重新核查。Correct a cell.

    Example: nianbao correct 12 tables.requests.new_received.total 166 --note "原文为166，读取有误"
    """
    from ..corrections import correct as do_correct
    from ..errors import NianbaoError
    from ..template import cell_label

    store = _open(db)
    try:
        result = do_correct(store, report_id, [(cell, value)], note or "", _who(by))
    except NianbaoError as e:
        _fail(e)
    ev = result.events[0]
    err_console.print(f"报告 {report_id} {cell_label(cell)}：{_fmt(ev.old_value)} → {_fmt(ev.new_value)}，已重新核查", highlight=False, soft_wrap=True)
    for f in result.resolved:
        err_console.print(f"  已消除 {SEVERITY_LABEL.get(f['severity'], f['severity'])} {f['rule']}：{f['message']}", highlight=False, soft_wrap=True)
    for f in result.new:
        err_console.print(f"  新出现 {SEVERITY_LABEL.get(f['severity'], f['severity'])} {f['rule']}：{f['message']}", highlight=False, soft_wrap=True)


def _fmt(v) -> str:
    from ..numbers import format_number

    return format_number(v, "空")


@app.command()
def history(
    report_id: int = typer.Argument(..., help="报告编号"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="每条记录输出一行 JSON"),
) -> None:
    """一份报告的更正和问题处理记录：谁、何时、哪个单元格或问题、原值和新值、说明。Corrections and reviews."""
    from ..errors import NianbaoError
    from ..store.review import STATE_LABEL, history as do_history

    store = _open(db)
    try:
        events = do_history(store, report_id)
    except NianbaoError as e:
        _fail(e)
    if json_out:
        for e in events:
            emit_json(e)
        return
    if not events:
        out_console.print(f"报告 {report_id} 没有更正或处理记录")
        return
    for e in events:
        when = (e["at"] or "").replace("T", " ")[:19]
        who = e["by"] or "系统"
        note = f"，说明：{e['note']}" if e["note"] else ""
        if e["kind"] == "correction":
            read = f"（读取值 {_fmt(e['read'])}）" if e["read"] != e["old"] else ""
            out_console.print(
                f"{when} {who} 更正 {e['label']}：{_fmt(e['old'])} → {_fmt(e['new'])}{read}{note}", highlight=False, soft_wrap=True
            )
        else:
            out_console.print(
                f"{when} {who} 问题 {e['finding']}（{e['rule']}）：{STATE_LABEL.get(e['old'], e['old'])} → "
                f"{STATE_LABEL.get(e['new'], e['new'])}{note}",
                highlight=False, soft_wrap=True,
            )
