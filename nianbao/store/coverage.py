"""Who has published a report for a year and who has not (``nianbao coverage``): the view
oversight staff ask for most.

The agencies considered are those of a region (every agency of the corpus placed in it), a list of
names (each normalised like an ingested name, so 龙港市人民政府 finds 龙港市政府's reports), or
every agency the corpus knows. The same function answers ``nianbao coverage``, ``/api/coverage``
and the web page 覆盖 (which asks for the ``detail`` of each agency).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select

from .. import template as T
from . import schema as S
from .agencies import place
from .agency_history import abolished_ids
from .cache import cached
from .db import Store


def _agencies(conn, region: str | None, place: dict | None = None, kind: str | None = None):
    a = S.agencies
    q = select(a.c.id, a.c.key, a.c.name, a.c.province, a.c.city, a.c.county, a.c.kind).order_by(a.c.name, a.c.id)
    if region:
        q = q.where(
            or_(a.c.province == region, a.c.city == region, a.c.county == region, a.c.township == region,
                a.c.region_code == region)
        )
    for level, name in (place or {}).items():
        if name:
            q = q.where(getattr(a.c, level) == name)
    if kind:
        q = q.where(a.c.kind == kind)
    return conn.execute(q).all()


def _latest(conn) -> dict[int, tuple[int, int]]:
    """agency id → (year, report id) of its latest readable report."""
    r = S.reports
    q = (
        select(r.c.agency_id, r.c.year, r.c.id)
        .where(r.c.status != "unreadable", r.c.agency_id.is_not(None), r.c.year.is_not(None))
        .order_by(r.c.year, r.c.id)
    )
    return {aid: (y, rid) for aid, y, rid in conn.execute(q)}


def _details(conn, rows, year: int) -> dict[int, dict]:
    """What the web page shows of each agency: place, kind, the report's date, its latest report."""
    r = S.reports
    published = dict(conn.execute(select(r.c.id, r.c.published).where(r.c.year == year)).all())
    latest = _latest(conn)
    out = {}
    for row in rows:
        last = latest.get(row.id)
        out[row.id] = {
            "agency_id": row.id, "place": " ".join(p for p in (row.province, row.city, row.county) if p),
            "kind": row.kind, "last_year": last[0] if last else None, "last_report_id": last[1] if last else None,
        }
    return {"agencies": out, "published": published}


def _published(conn, year: int) -> dict[int, int]:
    """agency id → the latest report id for the year."""
    r = S.reports
    rows = conn.execute(
        select(r.c.agency_id, func.max(r.c.id)).where(r.c.year == year, r.c.agency_id.is_not(None)).group_by(r.c.agency_id)
    ).all()
    return {aid: rid for aid, rid in rows}


def coverage(
    store: Store, year: int, *, region: str | None = None, agencies: list[str] | None = None,
    within: dict | None = None, kind: str | None = None, detail: bool = False,
) -> dict:
    """``{"year", "published": [{"agency", "report_id", "status"}], "missing": [{"agency"}]}``.

    :param region: a province, city, county or township name, or a region code.
    :param agencies: agency names (each one listed once, in the order given).
    :param within: ``{"province": …, "city": …, "county": …}``, each level given matched exactly.
    :param kind: the agencies of one kind only (政府 | 部门 | 乡镇/街道 | 开发区/园区).
    :param detail: each item also has ``agency_id``, ``place``, ``kind`` and ``last_year`` /
        ``last_report_id`` (its latest readable report); a published one its ``published`` date.
    Kept until the corpus changes (:mod:`.cache`): never change the answer in place.
    """
    key = (year, region, tuple(agencies) if agencies is not None else None,
           tuple(sorted((within or {}).items())), kind, detail)
    return cached(store, "coverage", key, lambda: _coverage(store, year, region, agencies, within, kind, detail))


def _coverage(store: Store, year: int, region, agencies, within, kind, detail) -> dict:
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
            rows = list(keys.values())
        else:
            rows = _agencies(conn, region, within, kind)
            considered = [(row.id, row.name) for row in rows]
        more = _details(conn, rows, year) if detail else None
        gone = abolished_ids(conn, year)  # abolished agencies owe no report from that year on
    out_pub, out_miss = [], []
    for aid, name in considered:
        rid = published.get(aid) if aid is not None else None
        if rid is None and aid in gone:
            continue
        extra = more["agencies"].get(aid, {}) if more else {}
        if rid is not None:
            item = {"agency": name, "report_id": rid, "status": status.get(rid), **extra}
            out_pub.append({**item, "published": more["published"].get(rid)} if more else item)
        else:
            out_miss.append({"agency": name, **extra})
    return {"year": year, "published": out_pub, "missing": out_miss}


def last_due_year(today: dt.date | None = None) -> int:
    """The last report year whose every deadline has passed (the later one, 本级政府's, included)."""
    today = today or dt.date.today()
    month, day = T.DEADLINE_GOVERNMENT
    return today.year - 1 if today > dt.date(today.year, month, day) else today.year - 2


def default_year(store) -> int | None:
    """The last year whose deadline has passed, if the corpus has reports of it; else the newest
    year before it that the corpus has; else the newest year of the corpus."""
    from .api_queries import known_years

    years = known_years(store)
    if not years:
        return None
    due = last_due_year()
    earlier = [y for y in years if y <= due]
    return max(earlier) if earlier else max(years)
