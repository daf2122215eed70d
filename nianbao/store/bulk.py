"""Bulk downloads of the corpus (spec §10 ``/export/…``): the tables of ``nianbao export`` with the
corrections people made applied.

``rows(store, shape, chinese_headers, **filters)`` answers ``(header, row iterator)``; the web layer
writes them with the writers of :mod:`nianbao.store.export` (``csv_cell``/``write_xlsx`` neutralise
text a spreadsheet would run as a formula; Parquet keeps text as it is).
"""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select

from ..metrics import METRICS
from .export import CELL_COLUMNS, META_COLUMNS, table
from . import schema as S
from .db import Store
from .queries import _filtered, _num

EXCEL_MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header


def latest_corrections(store: Store) -> dict[int, dict[str, float | int | None]]:
    """report id → {cell path → the value in force after the latest correction}."""
    o = S.overrides
    out: dict[int, dict] = {}
    with store.engine.connect() as conn:
        for rid, path, value in conn.execute(select(o.c.report_id, o.c.path, o.c.new_value).order_by(o.c.id)):
            out.setdefault(rid, {})[path] = _num(value)
    return out


def _corrected(store: Store, shape: str, rows: Iterator[list]) -> Iterator[list]:
    fixes = latest_corrections(store)
    if not fixes:
        yield from rows
        return
    if shape == "wide":
        from .overrides import report_with_overrides

        n_meta = len(META_COLUMNS)
        for row in rows:
            if row[0] in fixes:
                report = report_with_overrides(store, row[0])
                if report is not None:
                    cells = [_num(report.get(p)) if report.has(p) else None for p in CELL_COLUMNS]
                    row = row[:n_meta] + cells + [m.compute(report) for m in METRICS]
            yield row
    elif shape == "long":
        for row in rows:
            fix = fixes.get(row[0])
            if fix and row[3] in fix:
                row = list(row)
                row[5] = fix[row[3]]
            yield row
    else:
        yield from rows


def rows(
    store: Store, shape: str, chinese_headers: bool = False, *, scope=None, **filters
) -> tuple[list[str], Iterator[list]]:
    """The header and rows of an export shape (wide | long | findings), corrections applied
    (``scope``: the web list's filters, :class:`nianbao.store.query.Filters`, or None)."""
    header, body = table(store, shape, chinese_headers, scope=scope, **filters)
    return header, _corrected(store, shape, body)


def count(store: Store, shape: str, *, scope=None, **filters) -> int:
    """How many rows an export shape will have (to refuse an Excel file larger than a sheet)."""
    filters = {k: v for k, v in filters.items() if v is not None}
    r, a = S.reports, S.agencies
    if shape == "long":
        base = S.cells.join(r, S.cells.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
    elif shape == "findings":
        base = S.findings.join(r, S.findings.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
        filters = {k: v for k, v in filters.items() if k in ("agency", "year")}
    else:
        base = r.outerjoin(a, r.c.agency_id == a.c.id)
    q = _filtered(select(func.count()).select_from(base), **filters)
    if scope is not None:
        q = q.where(*scope.where())
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one()

