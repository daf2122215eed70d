"""Helpers shared by the CLI modules: JSON Lines output and reading many files with progress."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterator

from rich.console import Console

# Progress and logs go to standard error: with --json, standard output holds only JSON.
err_console = Console(stderr=True)
out_console = Console()


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
