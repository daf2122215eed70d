"""Bulk downloads of the corpus (spec §10 ``/export/…``): the tables of ``nianbao export`` (the
store keeps corrected values in place, so corrections are applied).

``rows(store, shape, chinese_headers, **filters)`` answers ``(header, row iterator)``; the web layer
writes them with the writers of :mod:`nianbao.store.export` (``csv_cell``/``write_xlsx`` neutralise
text a spreadsheet would run as a formula; Parquet keeps text as it is).
"""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select

from .export import table
from . import schema as S
from .db import Store
from .queries import _filtered

EXCEL_MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header


def rows(
    store: Store, shape: str, chinese_headers: bool = False, *, scope=None, **filters
) -> tuple[list[str], Iterator[list]]:
    """The header and rows of an export shape (wide | long | findings)
    (``scope``: the web list's filters, :class:`nianbao.store.query.Filters`, or None)."""
    return table(store, shape, chinese_headers, scope=scope, **filters)


def count(store: Store, shape: str, *, scope=None, **filters) -> int:
    """How many rows an export shape will have (to refuse an Excel file larger than a sheet)."""
    filters = {k: v for k, v in filters.items() if v is not None}
    r, a = S.reports, S.agencies
    what = func.count()
    if shape == "long":  # a report's cells: its pack's n
        base = S.cell_packs.join(r, S.cell_packs.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
        what = func.coalesce(func.sum(S.cell_packs.c.n), 0)
    elif shape == "findings":
        base = S.findings.join(r, S.findings.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
        filters = {k: v for k, v in filters.items() if k in ("agency", "year")}
    else:
        base = r.outerjoin(a, r.c.agency_id == a.c.id)
    q = _filtered(select(what).select_from(base), **filters)
    if scope is not None:
        q = q.where(*scope.where())
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one()

