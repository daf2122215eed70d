"""A metric of :mod:`nianbao.metrics` added up over the units of the corpus (provinces, cities,
counties or agencies) for a year: Σ numerator ÷ Σ denominator, over the readable reports whose
every numerator and denominator cell is known (a report missing one counts for neither); cells
hold corrected values (the store applies corrections in place).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from ..metrics import METRIC_BY_KEY
from ..rates import Rate
from . import schema as S
from .cache import cached
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
    r, a, c = S.reports, S.agencies, S.cells
    paths = sorted(set(metric.numerator) | set(metric.denominator))
    unit = func.coalesce(a.c.name, r.c.agency_raw) if level == "agency" else getattr(a.c, level)
    q = (
        select(c.c.report_id, unit.label("unit"), c.c.path, c.c.value)
        .select_from(c.join(r, c.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id))
        .where(c.c.path.in_(paths), r.c.status != "unreadable")
    )
    if year is not None:
        q = q.where(r.c.year == year)
    if region:
        q = q.where(or_(a.c.province == region, a.c.city == region, a.c.county == region, a.c.township == region))
    per_report: dict[int, tuple[str, dict]] = {}
    with store.engine.connect() as conn:
        for rid, name, path, value in conn.execute(q):
            per_report.setdefault(rid, (name or "（未定位）", {}))[1][path] = value
    sums: dict[str, list] = {}
    for rid, (name, values) in per_report.items():
        if any(values.get(p) is None for p in paths):
            continue
        k = sum(values[p] for p in metric.numerator)
        n = sum(values[p] for p in metric.denominator)
        acc = sums.setdefault(name, [0.0, 0.0, 0])
        acc[0] += k
        acc[1] += n
        acc[2] += 1
    return [Rate(unit=u, k=k, n=n, reports=m, min_n=min_n) for u, (k, n, m) in sums.items()]
