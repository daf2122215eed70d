"""Helpers shared by the CLI modules: JSON Lines output and reading many files with progress."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterator

import typer
from rich.console import Console

from .. import limits

# Progress and logs go to standard error: with --json, standard output holds only JSON.
err_console = Console(stderr=True)
out_console = Console()


LIMIT_HELP = ("读取限制，可重复，如 --limit pages=50 --limit file_mb=20（优先于环境变量 NIANBAO_MAX_*）。"
              "名称：" + ", ".join(limits.ENV) + "（说明见 README“输入限制”；写错时列出每项的含义）")


def limit_option():
    """The option ``--limit NAME=VALUE`` of the commands that read files (parse, check, explain,
    ingest, reparse): the limits of :mod:`nianbao.limits`, over the environment's."""
    return typer.Option(None, "--limit", metavar="NAME=VALUE", help=LIMIT_HELP, show_default=False)


def apply_limits(assignments: list[str] | None) -> None:
    """The limits of this command (and of the workers it starts): the environment's, with the
    ``--limit`` assignments over them, and nothing left from a command run before in the same
    process. A wrong name or value is a usage error: the message lists the limits, exit status 2."""
    from rich.markup import escape

    from ..errors import LimitConfigError

    try:
        limits.configure(limits.with_options(assignments, limits.Limits.from_env()) if assignments else None)
    except LimitConfigError as e:
        err_console.print(f"[red]错误[/red] {escape(e.message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def with_progress(items: list, label: str, show: bool) -> Iterator:
    """Yield items with a progress bar on standard error when there is more than one."""
    if not show or len(items) < 2 or not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task(label, total=len(items))
        for item in items:
            yield item
            progress.advance(task)


def read_batch(items: list, check: bool, show: bool) -> Iterator:
    """Each input of a batch through the pipeline, in order, as ``Checked``; a report whose table
    rows only the agency's other years in the batch can place is read again with them
    (``nianbao.extract.series``)."""
    from ..extract.series import settle
    from ..pipeline import run_file

    done = ((inp, run_file(inp, check=check)) for inp in with_progress(items, "核查" if check else "读取", show))
    for _, result in settle(done, lambda d: d[1].report, lambda d, hints: (d[0], run_file(d[0], check, hints))):
        yield result
