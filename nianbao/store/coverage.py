"""Who has published a report for a year and who has not (``nianbao coverage``): the view
oversight staff ask for most.

The agencies considered are those of a region (every agency of the corpus placed in it), a list of
names (each normalised like an ingested name, so 龙港市人民政府 finds 龙港市政府's reports), or
every agency the corpus knows.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from . import schema as S
from .agencies import place
from .db import Store


def _agencies(conn, region: str | None):
    a = S.agencies
    q = select(a.c.id, a.c.key, a.c.name).order_by(a.c.name, a.c.id)
    if region:
        q = q.where(
            or_(a.c.province == region, a.c.city == region, a.c.county == region, a.c.township == region,
                a.c.region_code == region)
        )
    return conn.execute(q).all()


def _published(conn, year: int) -> dict[int, int]:
    """agency id → the latest report id for the year."""
    r = S.reports
    rows = conn.execute(
        select(r.c.agency_id, func.max(r.c.id)).where(r.c.year == year, r.c.agency_id.is_not(None)).group_by(r.c.agency_id)
    ).all()
    return {aid: rid for aid, rid in rows}


def coverage(
    store: Store, year: int, *, region: str | None = None, agencies: list[str] | None = None
) -> dict:
    """``{"year", "published": [{"agency", "report_id", "status"}], "missing": [{"agency"}]}``.

    :param region: a province, city, county or township name, or a region code.
    :param agencies: agency names (each one listed once, in the order given).
    """
    with store.engine.connect() as conn:
        published = _published(conn, year)
        status = dict(
            conn.execute(select(S.reports.c.id, S.reports.c.status).where(S.reports.c.year == year)).all()
        )
        if agencies is not None:
            keys = {row.key: row for row in _agencies(conn, None)}
            considered = []
            seen = set()
            for name in agencies:
                name = name.strip()
                if not name:
                    continue
                key = place(name).key
                if key in seen:
                    continue
                seen.add(key)
                row = keys.get(key)
                considered.append((row.id if row else None, name))
        else:
            considered = [(row.id, row.name) for row in _agencies(conn, region)]
    out_pub, out_miss = [], []
    for aid, name in considered:
        rid = published.get(aid) if aid is not None else None
        if rid is not None:
            out_pub.append({"agency": name, "report_id": rid, "status": status.get(rid)})
        else:
            out_miss.append({"agency": name})
    return {"year": year, "published": out_pub, "missing": out_miss}
