"""Reading cells for the rules: values, labels, and which rows a report prints."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional

from .. import template as T
from ..model import Number, Report
from ..numbers import format_number
from ..template import ac, ap, cell_table, rq  # noqa: F401  (the rules' names for cells)


def fmt(value: Optional[Number]) -> str:
    """A number in a message: 166, 1627.79 (never 166.0), 空白 for null."""
    return format_number(value, "空白")


def value(report: Report, path: str) -> Optional[Number]:
    """The cell's value, ``None`` when it is null or the report does not have it."""
    return report.get(path)


def null_cells(report: Report, paths: Iterable[str]) -> list[str]:
    return [p for p in paths if report.get(p) is None]


def total(report: Report, paths: Iterable[str]) -> Optional[Number]:
    """The sum of the cells, or ``None`` if any is null."""
    out: Number = 0
    for p in paths:
        v = report.get(p)
        if v is None:
            return None
        out += v
    return out


def row_label(key: str) -> str:
    """Table 3 row as printed, short: 一、本年新收政府信息公开申请数量, （二）部分公开, （三）1.属于国家秘密."""
    r = T.REQUEST_ROW_BY_KEY[key]
    label = T.short_label(r.label)
    prefix = r.group[: r.group.index("）") + 1] if r.group and r.group.startswith("（") else ""
    return f"{prefix}{r.number}{label}"


def listing(items: list[str], limit: int = 5) -> str:
    """``a、b、c`` — at most ``limit`` items, then 等N处."""
    shown = "、".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}等{len(items)}处"


def col_label(col: str) -> str:
    return T.REQUEST_COLUMN_LABEL[col]


def other_split(report: Report) -> bool | None:
    """How the report prints （六）: three sub-rows (True), one row (False), or unknown (None)."""
    table = report.tables.requests or {}
    if any(k in table for k in T.OTHER_SPLIT_KEYS):
        return True
    if "other_handling" in table:
        return False
    return None


def request_row_keys(report: Report) -> tuple[str, ...]:
    """The data rows of table 3 the report should print, given its version and how it prints （六）."""
    return tuple(r.key for r in T.request_rows(report.meta.template, other_split(report)))


def group_total_paths(report: Report, prefix: str, col: str = "total") -> list[str]:
    """The cells of one outcome group of table 3 (e.g. ``denied_`` → the eight 不予公开 rows)."""
    return [rq(k, col) for k in request_row_keys(report) if k.startswith(prefix)]


# Sort order of findings: tables in spec order, cells in template order.
TABLE_ORDER = {t: i for i, t in enumerate(T.TABLE_KEYS)}
_CELL_ORDER: dict[str, int] = {}
for _v in T.VERSIONS:
    for _c in T.active_cells(_v) + T.request_cells(_v, False) + T.request_cells(_v, True) + T.appeal_cells():
        _CELL_ORDER.setdefault(_c.path, len(_CELL_ORDER))


@lru_cache(maxsize=4096)
def cell_order(path: str) -> tuple[int, int]:
    return TABLE_ORDER.get(cell_table(path) or "", 3), _CELL_ORDER.get(path, 10_000)
