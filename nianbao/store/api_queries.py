"""The questions the JSON API (spec §10) asks the corpus: every list as one page plus its total.

Each ``*_page`` function takes the filters of its endpoint, ``limit`` and ``offset``, and answers
``(total, items)`` with items already in the shape of spec §10. Values come from the database as
stored: the store keeps corrected values in place (``overrides.py``) and review states (``review.py``).
Bad filter values raise :class:`ApiParameterError` (the web layer answers 400).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from ..errors import NianbaoError
from . import schema as S
from .db import Store
from ..template import SEVERITIES
from .queries import REPORT_STATUSES, _like, finding_json
from .review import review_of

READING_STATUSES = ("complete", "partial")
FINDING_STATES = ("open", "confirmed", "dismissed", "explained", "resolved")


class ApiParameterError(NianbaoError):
    code = "bad_parameter"
    status = 400


def place_name(province, city, county, township) -> str | None:
    """The place of an agency written as Chinese addresses are (``浙江省温州市龙港市``), or None."""
    parts = [p for p in (province, city, county, township) if p]
    return "".join(parts) or None


def _reading_expr(store: Store):
    """The reading status (spec §8) of a report as a SQL expression: the ``reading`` column when
    the schema has one, else read from the stored model's JSON."""
    r = S.reports
    if "reading" in r.c:
        return r.c.reading
    if store.dialect == "postgresql":
        return cast(r.c.model, JSONB)["reading"]["status"].astext
    return cast(func.json_extract(r.c.model, "$.reading.status"), String)


def _region_clause(region: str):
    a = S.agencies
    return or_(a.c.province == region, a.c.city == region, a.c.county == region, a.c.township == region,
               a.c.region_code == region)


def _agency_clause(agency: str):
    r, a = S.reports, S.agencies
    return or_(r.c.agency_raw.like(_like(agency), escape="\\"), a.c.name.like(_like(agency), escape="\\"))


def _check_choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ApiParameterError(f"参数 {name} 的值“{value}”无效，可用：{' | '.join(allowed)}")


# --------------------------------------------------------------------------- reports


def reports_page(
    store: Store, *, year: int | None = None, agency: str | None = None, region: str | None = None,
    status: str | None = None, reading: str | None = None, q: str | None = None,
    limit: int = 100, offset: int = 0,
) -> tuple[int, list[dict]]:
    """Reports, newest year first, then by agency and id."""
    _check_choice("status", status, REPORT_STATUSES)
    _check_choice("reading", reading, READING_STATUSES)
    r, a = S.reports, S.agencies
    reading_col = _reading_expr(store)
    where = []
    if year is not None:
        where.append(r.c.year == year)
    if agency:
        where.append(_agency_clause(agency))
    if region:
        where.append(_region_clause(region))
    if status:
        where.append(r.c.status == status)
    if reading:
        where.append(reading_col == reading)
    if q:
        like = _like(q)
        where.append(or_(r.c.agency_raw.like(like, escape="\\"), a.c.name.like(like, escape="\\"),
                         r.c.title.like(like, escape="\\")))
    base = r.outerjoin(a, r.c.agency_id == a.c.id)
    query = (
        select(r.c.id, func.coalesce(a.c.name, r.c.agency_raw).label("agency"), r.c.year, r.c.template,
               r.c.published, r.c.status, reading_col.label("reading"), r.c.n_errors, r.c.n_warnings)
        .select_from(base).where(*where)
        .order_by(r.c.year.desc().nulls_last(), func.coalesce(a.c.name, r.c.agency_raw), r.c.id)
        .limit(limit).offset(offset)
    )
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base).where(*where)).scalar_one()
        items = [
            {
                "id": m.id, "agency": m.agency, "year": m.year, "template": m.template, "published": m.published,
                "status": m.status, "reading": {"status": m.reading} if m.reading else None,
                "errors": m.n_errors or 0, "warnings": m.n_warnings or 0,
            }
            for m in conn.execute(query)
        ]
    return total, items


def report_object(store: Store, report_id: int) -> dict | None:
    """One report as the object of spec §2 with ``id``, its findings (with ``id`` and ``state``),
    ``reading``, corrected values in place and the values as read in ``corrections``; None when the
    id is unknown. An unreadable report is ``{"id", "source", "error"}`` (spec §1)."""
    from .overrides import list_overrides
    from .queries import get_report

    stored = get_report(store, report_id)
    if stored is None:
        return None
    s = stored.summary
    if stored.report is None:
        return {"id": report_id, "source": {"path": s.path, "sha256": s.sha256, "format": s.format},
                "error": s.error or {"code": "unreadable", "message": "无法读取"}}
    report = stored.report  # the stored model holds the corrected values (overrides.py)
    out: dict[str, Any] = {"id": report_id}
    out.update(report.to_json_dict())
    out["findings"] = [{k: v for k, v in f.items() if k != "origin"} for f in stored.findings]
    out["agency"] = {"id": s.agency_id, "name": s.agency,
                     "region": place_name(*(s.region.get(k) for k in ("province", "city", "county", "township"))),
                     "region_code": s.region.get("region_code"), "kind": s.region.get("kind")}
    # "corrections": {cell: {"read", "value"}} as the model keeps them, with who, when and why
    corrections = dict(out.get("corrections") or {})
    for o in list_overrides(store, report_id):  # oldest first: the latest event of a cell wins
        if o.path in corrections:
            corrections[o.path] = {**corrections[o.path], "by": o.author,
                                   "at": o.created_at.isoformat() if o.created_at else None, "note": o.reason}
    out["corrections"] = corrections
    return out


# --------------------------------------------------------------------------- findings


def findings_page(
    store: Store, *, year: int | None = None, rule: str | None = None, severity: str | None = None,
    state: str | None = None, region: str | None = None, agency: str | None = None,
    limit: int = 100, offset: int = 0,
) -> tuple[int, list[dict]]:
    """Stored findings (cross-year ones included) as the objects of spec §7 with their stable
    ``id``, ``state`` and ``review``, by report then id; ``state=resolved`` lists the findings that
    no longer fire (kept in the review history)."""
    _check_choice("severity", severity, SEVERITIES)
    _check_choice("state", state, FINDING_STATES)
    f, r, a, fr = S.findings, S.reports, S.agencies, S.finding_reviews
    where = []
    if year is not None:
        where.append(r.c.year == year)
    if region:
        where.append(_region_clause(region))
    if agency:
        where.append(_agency_clause(agency))
    if state == "resolved":
        return _resolved_page(store, where, rule=rule, severity=severity, limit=limit, offset=offset)
    if rule:
        where.append(f.c.rule == rule)
    if severity:
        where.append(f.c.severity == severity)
    if state == "open":
        where.append(or_(fr.c.state.is_(None), fr.c.state == "open"))
    elif state:
        where.append(fr.c.state == state)
    base = f.join(r, f.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id).outerjoin(fr, fr.c.key == f.c.key)
    query = (
        select(f, func.coalesce(a.c.name, r.c.agency_raw).label("agency_name"), r.c.year, r.c.path, r.c.sha256,
               fr.c.state.label("review_state"), fr.c.active.label("review_active"), fr.c.review_by,
               fr.c.review_at, fr.c.review_note)
        .select_from(base).where(*where)
        .order_by(f.c.report_id, f.c.id).limit(limit).offset(offset)
    )
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base).where(*where)).scalar_one()
        items = []
        for row in conn.execute(query):
            item = {k: v for k, v in finding_json(row).items() if k != "origin"}
            item.setdefault("id", row.key)
            item.setdefault("state", "open")
            item.update({"report_id": row.report_id, "agency": row.agency_name, "year": row.year,
                         "source": {"path": row.path, "sha256": row.sha256}})
            items.append(item)
    return total, items


def _resolved_page(store: Store, where: list, *, rule, severity, limit: int, offset: int) -> tuple[int, list[dict]]:
    fr, r, a = S.finding_reviews, S.reports, S.agencies
    q = (
        select(fr, func.coalesce(a.c.name, r.c.agency_raw).label("agency_name"), r.c.year, r.c.path, r.c.sha256)
        .select_from(fr.join(r, fr.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id))
        .where(fr.c.active.is_(False), *where).order_by(fr.c.report_id, fr.c.first_seen, fr.c.key)
    )
    if rule:
        q = q.where(fr.c.rule == rule)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    items = []
    for row in rows:
        snap = json.loads(row.snapshot)
        if severity and snap.get("severity") != severity:
            continue
        item = {"id": row.key, **{k: snap.get(k) for k in ("rule", "severity", "message", "cells", "expected", "actual")}}
        item.update(snap.get("extra") or {})
        item.update({"state": "resolved", "review": review_of(row.review_by, row.review_at, row.review_note),
                     "report_id": row.report_id, "agency": row.agency_name, "year": row.year,
                     "source": {"path": row.path, "sha256": row.sha256}})
        items.append(item)
    return len(items), items[offset: offset + limit]


# --------------------------------------------------------------------------- agencies


def agencies_page(
    store: Store, *, region: str | None = None, kind: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[int, list[dict]]:
    """Agencies of the corpus by name: ``{"id", "name", "kind", "region", "region_code", "reports"}``."""
    a, r = S.agencies, S.reports
    where = []
    if region:
        where.append(_region_clause(region))
    if kind:
        where.append(a.c.kind == kind)
    n_reports = select(func.count()).where(r.c.agency_id == a.c.id).scalar_subquery()
    query = (
        select(a.c.id, a.c.name, a.c.kind, a.c.province, a.c.city, a.c.county, a.c.township, a.c.region_code,
               n_reports.label("reports"))
        .where(*where).order_by(a.c.name, a.c.id).limit(limit).offset(offset)
    )
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(a).where(*where)).scalar_one()
        items = [
            {"id": m.id, "name": m.name, "kind": m.kind,
             "region": place_name(m.province, m.city, m.county, m.township), "region_code": m.region_code,
             "reports": m.reports}
            for m in conn.execute(query)
        ]
    return total, items


def known_years(store: Store) -> list[int]:
    r = S.reports
    with store.engine.connect() as conn:
        return [y for (y,) in conn.execute(select(func.distinct(r.c.year)).where(r.c.year.is_not(None)).order_by(r.c.year))]

