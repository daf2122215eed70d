"""One agency's reports across any number of years, cell by cell (the report page's 历年趋势):
the values in force (corrections applied), one column per year, rows in the template's order."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import template as T
from . import cellpack
from . import schema as S
from .db import Store

_ORDER = {c.path: i for i, c in enumerate(T.cells_of("2021") + [c for c in T.cells_of("2019")])}


@dataclass
class TrendRow:
    path: str
    label: str
    values: list[float | None]  # aligned with Trend.years

    @property
    def changes(self) -> list[float | None]:
        """The change from the year before (None for the first year, or where a value is missing)."""
        out: list[float | None] = [None]
        for a, b in zip(self.values, self.values[1:]):
            out.append(None if a is None or b is None else b - a)
        return out


@dataclass
class Trend:
    agency_id: int
    agency: str
    available: list[tuple[int, int]]  # (year, report id) of every year the agency has, oldest first
    years: list[tuple[int, int]]  # the years shown
    rows: list[TrendRow] = field(default_factory=list)


def year_reports(store: Store, agency_id: int) -> list[tuple[int, int]]:
    """(year, report id) of an agency's readable reports, one per year (the latest stored), oldest first."""
    r = S.reports
    q = (
        select(r.c.year, r.c.id)
        .where(r.c.agency_id == agency_id, r.c.status != "unreadable", r.c.year.is_not(None))
        .order_by(r.c.year, r.c.id)
    )
    with store.engine.connect() as conn:
        return sorted({y: i for y, i in conn.execute(q)}.items())


def agency_trend(store: Store, agency_id: int, years: list[int] | None = None, *, everything: bool = False) -> Trend:
    """The trend of an agency's cells over ``years`` (every year it has when None or empty;
    years it has no report for are left out). Rows whose values are all missing or all zero are
    left out unless ``everything``."""
    available = year_reports(store, agency_id)
    wanted = set(years or [])
    shown = [(y, i) for y, i in available if not wanted or y in wanted]
    with store.engine.connect() as conn:
        name = conn.execute(select(S.agencies.c.name).where(S.agencies.c.id == agency_id)).scalar() or ""
        col = {rid: k for k, (_, rid) in enumerate(shown)}
        values: dict[str, list[float | None]] = {}
        for rid, cells in cellpack.values_of(conn, col).items():  # a few reports: one per year
            for path, value in cells.items():
                values.setdefault(path, [None] * len(shown))[col[rid]] = value
    rows = [
        TrendRow(path, T.cell_label(path), vals)
        for path, vals in sorted(values.items(), key=lambda kv: (_ORDER.get(kv[0], len(_ORDER)), kv[0]))
        if everything or any(v not in (None, 0) for v in vals)
    ]
    return Trend(agency_id, name, available, shown, rows)
