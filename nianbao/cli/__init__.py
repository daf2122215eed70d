"""The ``nianbao`` command. Each area registers its commands from its own module; bodies stay thin
and call one library function each."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="nianbao",
    help="政府信息公开工作年度报告：读取、核查、入库、比对 (read, check, store and compare annual reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """政府信息公开工作年度报告：读取、核查、入库、比对。"""


from . import parse as _parse  # noqa: E402,F401  (registers parse)
from . import check as _check  # noqa: E402,F401  (registers check, rules)
from . import corpus as _corpus  # noqa: E402,F401  (registers ingest, findings, coverage, …)
from . import serve as _serve  # noqa: E402,F401  (registers serve)
from . import explain as _explain  # noqa: E402,F401  (registers explain)
from . import review as _review  # noqa: E402,F401  (registers review, correct, history)
from . import write as _write  # noqa: E402,F401  (registers render, register)


def main() -> None:
    app()
