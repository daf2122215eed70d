"""A series of reports settles what one report leaves open (spec §8 ``reading.inferred``).

An agency fills the same table every year, often from the same file: where one year's crawler text
keeps a blank cell as a space (``0 00000``), the next year's text may lose the space (``000000``),
and that row then prints six numbers for seven cells with no way to tell which cell is blank. The
agency's report of an adjacent year that printed the same row with its blank cells seen settles
it: the blanks are taken at the same columns, and the printed numbers placed in the others when
that gives exactly one placement that keeps the row's identity. Such cells are listed in
``reading.inferred`` (a cross-year or identity finding on them is ``info`` at most) and a
``cells_inferred`` note names the year that was used.

Used by the batch commands (``nianbao parse`` / ``check`` over several files): reports are read as
usual, and a report with such rows is read again with the hints once the whole batch is known.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

from .. import template as T
from ..model import Report
from .normalize import key
from .tables import SeriesBlanks

Item = TypeVar("Item")

MAX_YEARS_APART = 3  # a layout kept longer than this is not assumed


def agency_key(report: Report) -> str | None:
    """The agency a series is grouped by: its printed name, normalised; None when the name was only
    inferred (a series must not rest on a guess)."""
    agency = report.meta.agency
    if not agency or "meta.agency" in report.reading.inferred or report.meta.year is None:
        return None
    return key(agency)


def blank_columns(report: Report) -> dict[str, tuple[int, ...]]:
    """Table 3's rows printed with some cells seen blank and the others with numbers: row key → the
    blank columns (by index of ``template.REQUEST_COLUMN_KEYS``). Rows with inferred or unread
    cells are left out: only what was seen is a pattern."""
    table = report.tables.requests or {}
    shaky = set(report.reading.unread) | set(report.reading.inferred)
    out: dict[str, tuple[int, ...]] = {}
    for row, cols in table.items():
        blanks: list[int] = []
        seen = True
        for i, col in enumerate(T.REQUEST_COLUMN_KEYS):
            path = T.rq(row, col)
            prov = report.provenance.get(path)
            if path in shaky or prov is None:
                seen = False
                break
            if cols.get(col) is None and prov.raw == "":
                blanks.append(i)
        if seen and blanks and len(blanks) < len(T.REQUEST_COLUMN_KEYS):
            out[row] = tuple(blanks)
    return out


def short_rows(report: Report) -> set[str]:
    """Table 3's rows that printed fewer numbers than cells (a ``cells_unplaced`` note)."""
    rows: set[str] = set()
    for n in report.notes:
        if n.code == "cells_unplaced":
            rows.update(p.row for p in map(T.CellPath.parse, n.cells) if p.table == "requests")
    return rows


def hints(report: Report, patterns: dict[str, list[tuple[int, dict[str, tuple[int, ...]]]]]) -> dict[str, SeriesBlanks]:
    """For each short row of the report, the blank columns of the nearest other year of the same
    agency that printed the row with blanks seen (the earlier year first on a tie)."""
    agency = agency_key(report)
    rows = short_rows(report)
    if agency is None or not rows:
        return {}
    year = report.meta.year
    others = sorted((abs(y - year), y, cols) for y, cols in patterns.get(agency, []) if y != year)
    out: dict[str, SeriesBlanks] = {}
    for row in rows:
        for apart, y, cols in others:
            if apart <= MAX_YEARS_APART and row in cols:
                out[row] = SeriesBlanks(cols[row], y)
                break
    return out


def settle(items: Iterable[Item], report_of: Callable[[Item], Report | None],
           reread: Callable[[Item, dict[str, SeriesBlanks]], Item]) -> Iterator[Item]:
    """The items of a batch in their order, each report with short rows read again (``reread``) with
    the hints of the whole batch. Items are passed on at once until the first one that may need
    the batch; from there on they wait for the end of the batch."""
    patterns: dict[str, list[tuple[int, dict[str, tuple[int, ...]]]]] = {}
    held: list[Item] = []
    for item in items:
        report = report_of(item)
        if report is not None:
            agency = agency_key(report)
            cols = blank_columns(report)
            if agency is not None and cols:
                patterns.setdefault(agency, []).append((report.meta.year, cols))
            if not held and agency is not None and short_rows(report):
                held.append(item)
                continue
        if held:
            held.append(item)
        else:
            yield item
    for item in held:
        report = report_of(item)
        found = hints(report, patterns) if report is not None else {}
        yield reread(item, found) if found else item
