"""A metric of :mod:`nianbao.metrics` added up over the units of the corpus (provinces, cities,
counties or agencies) for a year: Σ numerator ÷ Σ denominator, over the readable reports whose
every numerator and denominator cell is known (a report missing one counts for neither); cells
hold corrected values (the store applies corrections in place).
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, or_, select

from ..metrics import METRIC_BY_KEY
from ..rates import Rate
from . import schema as S
from .cache import cached
from .cell_matrix import matrix
from .db import Store

LEVELS = {"province": "省", "city": "市", "county": "县（区）", "agency": "机关"}


def unit_rates(
    store: Store, metric_key: str, *, year: int | None = None, level: str = "province",
    region: str | None = None, min_n: int = 10,
) -> list[Rate]:
    """One :class:`Rate` per unit with at least one report counted (kept until the corpus changes)."""
    return cached(store, "unit_rates", (metric_key, year, level, region, min_n),
                  lambda: _unit_rates(store, metric_key, year=year, level=level, region=region, min_n=min_n))


def _unit_rates(store: Store, metric_key: str, *, year, level, region, min_n) -> list[Rate]:
    metric = METRIC_BY_KEY[metric_key]
    if level not in LEVELS:
        raise ValueError(level)
    r, a, cp = S.reports, S.agencies, S.cell_packs
    paths = sorted(set(metric.numerator) | set(metric.denominator))
    unit = func.coalesce(a.c.name, r.c.agency_raw) if level == "agency" else getattr(a.c, level)
    q = (
        select(unit.label("unit"), cp.c.codes, cp.c.vals)
        .select_from(cp.join(r, cp.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id))
        .where(r.c.status != "unreadable")
    )
    if year is not None:
        q = q.where(r.c.year == year)
    if region:
        q = q.where(or_(a.c.province == region, a.c.city == region, a.c.county == region, a.c.township == region))
    with store.engine.connect() as conn:
        m = matrix(conn, q, paths)
    m.keys = [name or "（未定位）" for name in m.keys]
    units, where = m.groups()
    counted = ~np.isnan(m.values).any(axis=1)  # every numerator and denominator cell known
    col = {p: j for j, p in enumerate(paths)}
    k = m.values[:, [col[p] for p in metric.numerator]].sum(axis=1)
    n = m.values[:, [col[p] for p in metric.denominator]].sum(axis=1)
    at = where[counted]
    ks = np.bincount(at, weights=k[counted], minlength=len(units))
    ns = np.bincount(at, weights=n[counted], minlength=len(units))
    reports = np.bincount(at, minlength=len(units))
    return [
        Rate(unit=u, k=float(ks[i]), n=float(ns[i]), reports=int(reports[i]), min_n=min_n)
        for i, u in enumerate(units) if reports[i]
    ]
