"""The questions the JSON API (spec §10) asks the corpus: every list as one page plus its total.

Each ``*_page`` function takes the filters of its endpoint, ``limit`` and ``offset``, and answers
``(total, items)`` with items already in the shape of spec §10. Values come from the database as
stored: the store keeps corrected values in place (``overrides.py``) and review states (``review.py``).
Bad filter values raise :class:`ApiParameterError` (the web layer answers 400).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from ..errors import NianbaoError
from . import schema as S
from .db import Store
from ..template import SEVERITIES
from .queries import READING_STATUSES, REPORT_STATUSES, _like, count_reports, list_reports
from .review import finding_page

FINDING_STATES = ("open", "confirmed", "dismissed", "explained", "resolved")


class ApiParameterError(NianbaoError):
    code = "bad_parameter"
    status = 400


def place_name(province, city, county, township) -> str | None:
    """The place of an agency written as Chinese addresses are (``浙江省温州市龙港市``), or None."""
    parts = [p for p in (province, city, county, township) if p]
    return "".join(parts) or None


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
    """Reports, newest year first, then by agency and id (:func:`nianbao.store.queries.list_reports`)."""
    _check_choice("status", status, REPORT_STATUSES)
    _check_choice("reading", reading, READING_STATUSES)
    filters = dict(year=year, agency=agency, region=region, status=status, reading=reading, q=q)
    total = count_reports(store, **filters)
    rows = list_reports(store, **filters, sort="year", descending=True, limit=limit, offset=offset)
    return total, [
        {"id": s.id, "agency": s.name, "year": s.year, "template": s.template, "published": s.published,
         "status": s.status, "reading": {"status": s.reading} if s.reading else None,
         "errors": s.n_errors or 0, "warnings": s.n_warnings or 0}
        for s in rows
    ]


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
    no longer fire (kept in the review history). The query is :func:`nianbao.store.review.finding_page`."""
    _check_choice("severity", severity, SEVERITIES)
    _check_choice("state", state, FINDING_STATES)
    r = S.reports
    scope = []
    if year is not None:
        scope.append(r.c.year == year)
    if region:
        scope.append(_region_clause(region))
    if agency:
        scope.append(_agency_clause(agency))
    return finding_page(store, scope, rule=rule, severity=severity, state=state, sort="report", limit=limit,
                        offset=offset)


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

