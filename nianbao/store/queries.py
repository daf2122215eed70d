"""Reading the corpus: reports (filtered), one report in full, findings, agencies."""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import func, or_, select

from ..model import Finding, Report
from . import cellpack
from . import schema as S
from .cache import cached, sql_key
from .db import Store
from .review import review_of, state_of
from .write import load_original

REPORT_STATUSES = ("clean", "errors", "partial", "unreadable")  # partial: no error, not fully read


@dataclass
class ReportSummary:
    id: int
    path: str
    sha256: str
    format: str | None
    status: str
    agency: str | None  # the agency's name in the corpus (as first seen)
    agency_raw: str | None  # as the report prints it
    agency_id: int | None
    year: int | None
    template: str | None
    published: str | None
    title: str | None
    n_errors: int
    n_warnings: int
    n_infos: int
    error: dict | None = None
    region: dict = field(default_factory=dict)  # province/city/county/township, kind
    reading: str | None = None  # complete | partial (spec §8); None when unreadable

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @property
    def name(self) -> str | None:
        """The agency as shown: its name in the corpus, else as the report prints it."""
        return self.agency or self.agency_raw

    @property
    def place(self) -> str:
        return " ".join(self.region[k] for k in ("province", "city", "county") if self.region.get(k))

    @property
    def kind(self) -> str | None:
        return self.region.get("kind")

    @property
    def error_message(self) -> str | None:
        return (self.error or {}).get("message")


def _summary_query():
    r, a = S.reports, S.agencies
    return select(
        r.c.id, r.c.path, r.c.sha256, r.c.format, r.c.status, r.c.agency_raw, r.c.agency_id, r.c.year,
        r.c.template, r.c.published, r.c.title, r.c.n_errors, r.c.n_warnings, r.c.n_infos,
        r.c.error_code, r.c.error_message, r.c.reading,
        a.c.name.label("agency_name"), a.c.kind, a.c.province, a.c.city, a.c.county, a.c.township, a.c.region_code,
    ).select_from(r.outerjoin(a, r.c.agency_id == a.c.id))


def _summary(row) -> ReportSummary:
    return ReportSummary(
        id=row.id, path=row.path, sha256=row.sha256, format=row.format, status=row.status,
        agency=row.agency_name, agency_raw=row.agency_raw, agency_id=row.agency_id, year=row.year,
        template=row.template, published=row.published, title=row.title, n_errors=row.n_errors,
        n_warnings=row.n_warnings, n_infos=row.n_infos,
        error={"code": row.error_code, "message": row.error_message} if row.error_code else None,
        region={"province": row.province, "city": row.city, "county": row.county, "township": row.township,
                "region_code": row.region_code, "kind": row.kind},
        reading=row.reading,
    )


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sorts() -> dict[str, list]:
    """The orders a report list can take: a key and the columns it sorts by."""
    r, a = S.reports, S.agencies
    name = func.coalesce(a.c.name, r.c.agency_raw)
    return {
        "agency": [name], "place": [a.c.province, a.c.city, a.c.county, name], "kind": [a.c.kind],
        "year": [r.c.year], "template": [r.c.template], "status": [r.c.status], "errors": [r.c.n_errors],
        "warnings": [r.c.n_warnings], "published": [r.c.published], "id": [r.c.id],
    }


REPORT_SORTS = ("agency", "place", "kind", "year", "template", "status", "errors", "warnings", "published", "id")


def list_reports(
    store: Store,
    *,
    agency: str | None = None,
    region: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    reading: str | None = None,
    q: str | None = None,
    where: list | tuple = (),
    sort: str | None = None,
    descending: bool = False,
    limit: int | None = 100,
    offset: int = 0,
) -> list[ReportSummary]:
    """Reports matching every filter given; by default newest year first, then by agency. The one
    report list of the package: ``nianbao`` the library, 年报列表 and ``/api/reports`` call it.

    :param agency: a substring of the agency's name (as printed or as normalised).
    :param region: a province, city, county or township name (any level) or a division code.
    :param kind: 政府 | 部门 | 乡镇/街道 | 开发区/园区.
    :param status: clean | errors | partial | unreadable.
    :param reading: complete | partial (spec §8).
    :param q: a substring of the agency's name, the title or a place name.
    :param where: more SQL conditions on ``reports``/``agencies`` (the web list's filters).
    :param sort: one of ``REPORT_SORTS`` (ties: newest year, agency, id); ``descending`` reverses it.
    """
    r = S.reports
    filters = dict(agency=agency, region=region, year=year, kind=kind, status=status, reading=reading, q=q)
    if sort is not None and sort not in REPORT_SORTS:
        raise ValueError(f"sort {sort!r}: expected one of {', '.join(REPORT_SORTS)}")
    ids = _ordered_ids(store, filters, tuple(where), sort, descending)
    page = ids[offset:] if limit is None else ids[offset: offset + limit]
    rows: dict[int, ReportSummary] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(page), 500):
            chunk = list(page[start: start + 500])
            rows.update((row.id, _summary(row)) for row in conn.execute(_summary_query().where(r.c.id.in_(chunk))))
    return [rows[i] for i in page if i in rows]


def _ordered_ids(store: Store, filters: dict, where: tuple, sort: str | None, descending: bool) -> array:
    """The ids of the reports the filters select, in the list's order; kept until the corpus
    changes (:mod:`.cache`), so that every page of a long list, and its count, is a slice."""
    r, a = S.reports, S.agencies
    name = func.coalesce(a.c.name, r.c.agency_raw)
    if sort is None:
        order = [r.c.year.desc().nulls_last(), a.c.name, r.c.id]
    else:
        first = [(c.desc() if descending else c.asc()).nulls_last() for c in _sorts()[sort]]
        order = [*first, r.c.year.desc().nulls_last(), name, r.c.id]
    # only the narrow columns of ix_reports_list and the agencies: never the reports' own rows
    stmt = _filtered(select(r.c.id).select_from(r.outerjoin(a, r.c.agency_id == a.c.id)), **filters).where(*where)
    stmt = stmt.order_by(*order)

    def compute() -> array:
        with store.engine.connect() as conn:
            return array("q", (i for (i,) in conn.execute(stmt)))

    return cached(store, "report_ids", sql_key(store, stmt), compute)


def count_reports(store: Store, *, where: list | tuple = (), **filters) -> int:
    stmt = _filtered(select(func.count()).select_from(S.reports.outerjoin(S.agencies, S.reports.c.agency_id == S.agencies.c.id)), **filters)
    stmt = stmt.where(*where)

    def compute() -> int:
        with store.engine.connect() as conn:
            return conn.execute(stmt).scalar_one()

    return cached(store, "report_count", sql_key(store, stmt), compute)


READING_STATUSES = ("complete", "partial")


def _filtered(stmt, *, agency=None, region=None, year=None, kind=None, status=None, reading=None, q=None):
    r, a = S.reports, S.agencies
    if agency:
        stmt = stmt.where(or_(r.c.agency_raw.like(_like(agency), escape="\\"), a.c.name.like(_like(agency), escape="\\")))
    if region:
        stmt = stmt.where(or_(a.c.province == region, a.c.city == region, a.c.county == region, a.c.township == region,
                              a.c.region_code == region))
    if year is not None:
        stmt = stmt.where(r.c.year == year)
    if kind:
        stmt = stmt.where(a.c.kind == kind)
    if status:
        if status not in REPORT_STATUSES:
            raise ValueError(f"status {status!r}: expected one of {', '.join(REPORT_STATUSES)}")
        stmt = stmt.where(r.c.status == status)
    if reading:
        if reading not in READING_STATUSES:
            raise ValueError(f"reading {reading!r}: expected one of {', '.join(READING_STATUSES)}")
        stmt = stmt.where(r.c.reading == reading)
    if q:
        like = _like(q)
        stmt = stmt.where(or_(r.c.agency_raw.like(like, escape="\\"), a.c.name.like(like, escape="\\"),
                              r.c.title.like(like, escape="\\")))
    return stmt


@dataclass
class StoredReport:
    """One report as stored: its summary, the model (findings included), each cell's provenance
    row, and the overrides made to it."""

    summary: ReportSummary
    report: Report | None  # None when unreadable
    cells: list[dict]  # {"path", "value", "raw", "line", "page"}
    findings: list[dict]  # finding objects with "origin" (check | cross_year | corpus)
    sources: list[str]  # every path it was ingested from


def finding_json(row) -> dict:
    out = {
        "rule": row.rule,
        "severity": row.severity,
        "message": row.message,
        "cells": json.loads(row.cells),
        "expected": _num(row.expected),
        "actual": _num(row.actual),
    }
    if row.extra:
        out.update(json.loads(row.extra))
    out["origin"] = row.origin
    m = row._mapping
    if "review_state" in m:  # joined with finding_reviews (see _with_review)
        out["id"] = row.key
        out["state"] = state_of(m["review_active"], m["review_state"])
        out["review"] = review_of(m["review_by"], m["review_at"], m["review_note"])
    return out


def _with_review(q, f):
    """Add a finding's review columns to a query on ``findings`` (``f``)."""
    fr = S.finding_reviews
    return q.add_columns(
        fr.c.state.label("review_state"), fr.c.active.label("review_active"), fr.c.review_by,
        fr.c.review_at, fr.c.review_note,
    ).outerjoin(fr, fr.c.key == f.c.key)


def _num(v):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def get_report(store: Store, report_id: int) -> StoredReport | None:
    with store.engine.connect() as conn:
        row = conn.execute(_summary_query().where(S.reports.c.id == report_id)).first()
        if row is None:
            return None
        model_json = conn.execute(select(S.reports.c.model).where(S.reports.c.id == report_id)).scalar()
        cells = [
            {"path": c.path, "value": _num(c.value), "read_value": _num(c.read_value), "raw": c.raw, "line": c.line,
             "page": c.page}
            for c in cellpack.cells_of(conn, report_id)
        ]
        frows = conn.execute(
            _with_review(select(S.findings), S.findings).where(S.findings.c.report_id == report_id).order_by(S.findings.c.id)
        ).all()
        shas = [row.sha256] + list(conn.execute(
            select(S.report_copies.c.sha256).where(S.report_copies.c.report_id == report_id)).scalars())
        sources = list(conn.execute(select(S.sources.c.path).where(S.sources.c.sha256.in_(shas)).order_by(S.sources.c.first_seen, S.sources.c.path)).scalars())
    findings = [finding_json(f) for f in frows]
    report = None
    if model_json:
        report = Report.model_validate_json(model_json)
        report.findings = [Finding.model_validate({k: v for k, v in f.items() if k != "origin"}) for f in findings]
    return StoredReport(_summary(row), report, cells, findings, sources)


def get_original(store: Store, report_id: int) -> tuple[str, bytes] | None:
    """The original file of a report: (path, bytes)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(S.reports.c.sha256, S.reports.c.path).where(S.reports.c.id == report_id)).first()
        if row is None:
            return None
        return row.path, load_original(conn, row.sha256)


def iter_findings(
    store: Store,
    *,
    agency: str | None = None,
    year: int | None = None,
    severity: str | None = None,
    rule: str | None = None,
    report_id: int | None = None,
    state: str | None = None,
) -> Iterator[dict]:
    """Every stored finding (cross-year ones included) as the line of ``nianbao findings --json``,
    with its ``id``, ``state`` and ``review``. Findings that no longer fire are listed only with
    ``state="resolved"``."""
    if state == "resolved":
        yield from _iter_resolved(store, agency=agency, year=year, severity=severity, rule=rule, report_id=report_id)
        return
    f, r, a, fr = S.findings, S.reports, S.agencies, S.finding_reviews
    q = _with_review(
        select(f, r.c.agency_raw, r.c.year, r.c.path, r.c.sha256, a.c.name.label("agency_name")).select_from(
            f.join(r, f.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
        ),
        f,
    ).order_by(r.c.agency_raw, r.c.year, f.c.report_id, f.c.id)
    if state == "open":
        q = q.where(or_(fr.c.state.is_(None), fr.c.state == "open"))
    elif state:
        q = q.where(fr.c.state == state)
    if agency:
        q = q.where(or_(r.c.agency_raw.like(_like(agency), escape="\\"), a.c.name.like(_like(agency), escape="\\")))
    if year is not None:
        q = q.where(r.c.year == year)
    if severity:
        q = q.where(f.c.severity == severity)
    if rule:
        q = q.where(f.c.rule == rule)
    if report_id is not None:
        q = q.where(f.c.report_id == report_id)
    with store.engine.connect() as conn:
        for row in conn.execute(q):
            out = finding_json(row)
            out.update(
                {
                    "report_id": row.report_id,
                    "agency": row.agency_raw,
                    "year": row.year,
                    "source": {"path": row.path, "sha256": row.sha256},
                }
            )
            yield out


def _iter_resolved(store: Store, *, agency=None, year=None, severity=None, rule=None, report_id=None) -> Iterator[dict]:
    fr, r, a = S.finding_reviews, S.reports, S.agencies
    q = (
        select(fr, r.c.agency_raw, r.c.year, r.c.path, r.c.sha256)
        .select_from(fr.join(r, fr.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id))
        .where(fr.c.active.is_(False))
        .order_by(r.c.agency_raw, r.c.year, fr.c.report_id, fr.c.first_seen, fr.c.key)
    )
    if agency:
        q = q.where(or_(r.c.agency_raw.like(_like(agency), escape="\\"), a.c.name.like(_like(agency), escape="\\")))
    if year is not None:
        q = q.where(r.c.year == year)
    if rule:
        q = q.where(fr.c.rule == rule)
    if report_id is not None:
        q = q.where(fr.c.report_id == report_id)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    for row in rows:
        snap = json.loads(row.snapshot)
        if severity and snap.get("severity") != severity:
            continue
        out = {k: snap.get(k) for k in ("rule", "severity", "message", "cells")}
        out["expected"], out["actual"] = _num(snap.get("expected")), _num(snap.get("actual"))
        out.update(snap.get("extra") or {})
        out["origin"] = snap.get("origin")
        out.update({"id": row.key, "state": "resolved",
                    "review": review_of(row.review_by, row.review_at, row.review_note),
                    "report_id": row.report_id, "agency": row.agency_raw, "year": row.year,
                    "source": {"path": row.path, "sha256": row.sha256}})
        yield out


def finding_counts(store: Store, **filters) -> list[dict]:
    """Findings counted by rule and severity: [{"rule", "severity", "count"}], most frequent first."""
    f, r, a = S.findings, S.reports, S.agencies
    filters = {k: v for k, v in filters.items() if v is not None}
    source = f.join(r, f.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id) if filters else f
    q = (
        select(f.c.rule, f.c.severity, func.count().label("n"))
        .select_from(source)
        .group_by(f.c.rule, f.c.severity)
        .order_by(func.count().desc(), f.c.rule)
    )
    q = _filtered(q, **filters)
    with store.engine.connect() as conn:
        return [{"rule": row.rule, "severity": row.severity, "count": row.n} for row in conn.execute(q)]


def corpus_stats(store: Store) -> dict:
    """Totals for a dashboard: reports by status, by year, agencies, findings by severity."""
    r = S.reports
    with store.engine.connect() as conn:
        by_status = dict(conn.execute(select(r.c.status, func.count()).group_by(r.c.status)).all())
        by_year = {y: n for y, n in conn.execute(select(r.c.year, func.count()).group_by(r.c.year).order_by(r.c.year)).all()}
        n_agencies = conn.execute(select(func.count()).select_from(S.agencies)).scalar_one()
        by_sev = dict(conn.execute(select(S.findings.c.severity, func.count()).group_by(S.findings.c.severity)).all())
    return {
        "reports": sum(by_status.values()),
        "by_status": by_status,
        "by_year": {str(k) if k is not None else "unknown": v for k, v in by_year.items()},
        "agencies": n_agencies,
        "findings": by_sev,
    }
