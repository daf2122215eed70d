"""A series of reports settles what one report leaves open (spec §8 ``reading.inferred``).

An agency fills the same table every year, often from the same file: where one year's crawler text
keeps a blank cell as a space (``0 00000``), the next year's text may lose the space (``000000``),
and that row then prints six numbers for seven cells with no way to tell which cell is blank. The
agency's report of an adjacent year that printed the same row with its blank cells seen settles
it: the blanks are taken at the same columns, and the printed numbers placed in the others when
that gives exactly one placement that keeps the row's identity. Such cells are listed in
``reading.inferred`` (a cross-year or identity finding on them is ``info`` at most) and a
``cells_inferred`` note names the year that was used.

The carry-over settles a digit run too: this year's 上年结转 is last year's 结转下年度. When a carried
row's run splits several ways that all keep this year's identities, the one split equal to the
adjacent year's carried row (read with every cell seen) is taken, and marked inferred the same way.

Used by the batch commands (``nianbao parse`` / ``check`` over several files): reports are read as
usual, and a report with such rows is read again with the hints once the whole batch is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar

from .. import template as T
from ..model import Report
from .normalize import key
from .cells import SeriesHint

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
    return _rows_noted(report, "cells_unplaced")


def ambiguous_carry(report: Report) -> set[str]:
    """上年结转 / 结转下年度 rows whose digit runs split several ways (a ``digits_ambiguous`` note)."""
    return _rows_noted(report, "digits_ambiguous") & set(CARRY)


def _rows_noted(report: Report, code: str) -> set[str]:
    rows: set[str] = set()
    for n in report.notes:
        if n.code == code:
            rows.update(p.row for p in map(T.CellPath.parse, n.cells) if p.table == "requests")
    return rows


# this year's row → the row of the adjacent year that must equal it, and which year that is
CARRY = {"carried_over": ("carried_forward", -1), "carried_forward": ("carried_over", +1)}


@dataclass
class YearFacts:
    """What one report of an agency can tell its other years."""

    blanks: dict[str, tuple[int, ...]]  # blank_columns
    carried: dict[str, tuple]  # 上年结转 / 结转下年度 as read: every cell seen, none inferred


def facts(report: Report) -> YearFacts:
    return YearFacts(blank_columns(report), carried_rows(report))


def carried_rows(report: Report) -> dict[str, tuple]:
    """上年结转 and 结转下年度 rows read with every cell a printed value (nothing unread or inferred)."""
    table = report.tables.requests or {}
    shaky = set(report.reading.unread) | set(report.reading.inferred)
    out: dict[str, tuple] = {}
    for row in CARRY:
        cols = table.get(row)
        paths = [T.rq(row, c) for c in T.REQUEST_COLUMN_KEYS]
        if cols and all(cols.get(c) is not None for c in T.REQUEST_COLUMN_KEYS) \
                and all(p in report.provenance and p not in shaky for p in paths):
            out[row] = tuple(cols[c] for c in T.REQUEST_COLUMN_KEYS)
    return out


Patterns = dict[str, dict[int, YearFacts]]  # agency key → year → facts


def hints(report: Report, patterns: Patterns) -> dict[str, SeriesHint]:
    """For each row the report leaves open, what the agency's other years say: for a short row, the
    blank columns of the nearest other year that printed the row with blanks seen (the earlier
    year first on a tie); for a carried row split several ways, the adjacent year's carry."""
    agency = agency_key(report)
    if agency is None:
        return {}
    years = patterns.get(agency, {})
    year = report.meta.year
    out: dict[str, SeriesHint] = {}
    for row in short_rows(report):
        for y in sorted((y for y in years if y != year and abs(y - year) <= MAX_YEARS_APART),
                        key=lambda y: (abs(y - year), y)):
            if row in years[y].blanks:
                out[row] = SeriesHint(y, columns=years[y].blanks[row])
                break
    for row in ambiguous_carry(report):
        other, step = CARRY[row]
        adjacent = years.get(year + step)
        if adjacent is not None and other in adjacent.carried:
            out[row] = SeriesHint(year + step, values=adjacent.carried[other])
    return out


def needs_series(report: Report) -> bool:
    return agency_key(report) is not None and bool(short_rows(report) or ambiguous_carry(report))


def settle(items: Iterable[Item], report_of: Callable[[Item], Report | None],
           reread: Callable[[Item, dict[str, SeriesHint]], Item], window: int = 256) -> Iterator[Item]:
    """The items of a batch in their order, each report with rows left open read again (``reread``)
    with the hints of the batch. Items are passed on at once until the first one that may need the
    batch; from there on they wait, at most ``window`` of them (memory stays bounded in a batch of
    thousands): the oldest is then settled with the years seen so far (a folder lists an agency's
    years together) and passed on."""
    patterns: Patterns = {}
    held: list[Item] = []

    def settled(item: Item) -> Item:
        report = report_of(item)
        found = hints(report, patterns) if report is not None and needs_series(report) else {}
        return reread(item, found) if found else item

    for item in items:
        report = report_of(item)
        if report is not None:
            agency = agency_key(report)
            if agency is not None:
                patterns.setdefault(agency, {}).setdefault(report.meta.year, facts(report))
        if held or (report is not None and needs_series(report)):
            held.append(item)
            while len(held) > window:
                yield settled(held.pop(0))
            while held and not _waits(report_of(held[0])):
                yield held.pop(0)
        else:
            yield item
    for item in held:
        yield settled(item)


def _waits(report: Report | None) -> bool:
    return report is not None and needs_series(report)
