"""The corpus's page-shaped questions (report lists, filters' choices, overview), answered with SQLAlchemy Core over ``store.schema``.

The one query layer the web pages (``nianbao.serve``) and the CLI call; reads only. Writing
(ingest, overrides) goes through :mod:`nianbao.pipeline` and :mod:`nianbao.store`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional

from sqlalchemy import and_, case, func, or_, select

from .. import template as T
from ..metrics import METRIC_BY_KEY
from ..model import Finding, Report
from . import schema as S
from .cache import cached, latest
from .cell_matrix import matrix
from .coverage import coverage as store_coverage
from .overrides import list_overrides
from .queries import get_original, get_report
from .source import load_lines as source_lines  # noqa: F401  (the detail page's source view)

STATUSES = {"errors": "有错误", "partial": "部分读取，需人工核对", "clean": "无错误", "unreadable": "无法读取"}
READINGS = {"complete": "完整读取", "partial": "部分读取，需人工核对"}
FINDING_STATES = {"open": "有待处理的问题", "confirmed": "有已确认的问题", "dismissed": "有已排除的问题",
                  "explained": "有已说明的问题", "resolved": "有已消除的问题"}
PAGE_SIZE = 100


@dataclass
class Filters:
    """The filters shared by 总览, 年报列表 and 导出 (all optional)."""

    q: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    year: Optional[int] = None
    kind: str = ""
    status: str = ""
    rule: str = ""  # reports with a finding of this rule
    reading: str = ""  # complete | partial
    state: str = ""  # reports with a finding in this review state
    page: int = 1

    def where(self, readable_only: bool = True) -> list:
        r, a = S.reports, S.agencies
        out = []
        if self.q:
            like = f"%{_escape_like(self.q)}%"
            out.append(
                or_(
                    a.c.name.like(like, escape="\\"),
                    r.c.agency_raw.like(like, escape="\\"),
                    r.c.title.like(like, escape="\\"),
                    a.c.province.like(like, escape="\\"),
                    a.c.city.like(like, escape="\\"),
                    a.c.county.like(like, escape="\\"),
                    a.c.township.like(like, escape="\\"),
                )
            )
        for col in ("province", "city", "county"):
            if getattr(self, col):
                out.append(getattr(a.c, col) == getattr(self, col))
        if self.kind:
            out.append(a.c.kind == self.kind)
        if self.year:
            out.append(r.c.year == self.year)
        if self.rule:
            out.append(r.c.id.in_(select(S.findings.c.report_id).where(S.findings.c.rule == self.rule)))
        if self.reading in READINGS:
            out.append(r.c.reading == self.reading)
        if self.state in FINDING_STATES:
            fr = S.finding_reviews
            shown = fr.c.active.is_(False) if self.state == "resolved" else and_(fr.c.active.is_(True), fr.c.state == self.state)
            out.append(r.c.id.in_(select(fr.c.report_id).where(shown)))
        if self.status in STATUSES:
            out.append(r.c.status == self.status)
        elif readable_only:
            out.append(r.c.status != "unreadable")
        return out

    def query_string(self, **change: Any) -> str:
        from urllib.parse import urlencode

        values = {k: getattr(self, k) for k in ("q", "province", "city", "county", "year", "kind", "status", "reading", "state", "rule", "page")}
        values.update(change)
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1) or (k == "page" and v != 1)})


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _base():
    r, a = S.reports, S.agencies
    return r.outerjoin(a, r.c.agency_id == a.c.id)


# --------------------------------------------------------------------------- lists


@dataclass
class ReportRow:
    id: int
    agency: Optional[str]
    year: Optional[int]
    template: Optional[str]
    status: str
    n_errors: int
    n_warnings: int
    n_infos: int
    path: str
    format: Optional[str]
    province: Optional[str]
    city: Optional[str]
    county: Optional[str]
    kind: Optional[str]
    published: Optional[str]
    error_message: Optional[str]
    agency_id: Optional[int]
    reading: Optional[str] = None  # complete | partial

    @property
    def place(self) -> str:
        return " ".join(p for p in (self.province, self.city, self.county) if p)


def _row(m) -> ReportRow:
    return ReportRow(
        id=m["id"],
        agency=m["name"] or m["agency_raw"],
        year=m["year"],
        template=m["template"],
        status=m["status"],
        n_errors=m["n_errors"] or 0,
        n_warnings=m["n_warnings"] or 0,
        n_infos=m["n_infos"] or 0,
        path=m["path"],
        format=m["format"],
        province=m["province"],
        city=m["city"],
        county=m["county"],
        kind=m["kind"],
        published=m["published"],
        error_message=m["error_message"],
        agency_id=m["agency_id"],
        reading=m.get("reading"),
    )


def _list_columns():
    r, a = S.reports, S.agencies
    return [
        r.c.id, r.c.agency_raw, r.c.year, r.c.template, r.c.status, r.c.n_errors, r.c.n_warnings,
        r.c.n_infos, r.c.path, r.c.format, r.c.published, r.c.error_message, r.c.agency_id, r.c.reading,
        a.c.name, a.c.province, a.c.city, a.c.county, a.c.kind,
    ]


def failed_reports(store, limit: int = 200) -> list[ReportRow]:
    r = S.reports
    q = select(*_list_columns()).select_from(_base()).where(r.c.status == "unreadable").order_by(r.c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        return [_row(m) for m in conn.execute(q).mappings()]


def finding_counts(store, report_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(errors, warnings) of each report id."""
    r = S.reports
    out: dict[int, tuple[int, int]] = {}
    ids = sorted(set(i for i in report_ids if i is not None))
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            q = select(r.c.id, r.c.n_errors, r.c.n_warnings).where(r.c.id.in_(ids[start:start + 500]))
            out.update((i, (e or 0, w or 0)) for i, e, w in conn.execute(q))
    return out


def report_row(store, report_id: int) -> Optional[ReportRow]:
    q = select(*_list_columns()).select_from(_base()).where(S.reports.c.id == report_id)
    with store.engine.connect() as conn:
        m = conn.execute(q).mappings().first()
    return _row(m) if m else None


# --------------------------------------------------------------------------- one report


def load_report(store, report_id: int) -> Optional[Report]:
    """The stored report model with all its findings (each with its ``origin``), or None."""
    sr = get_report(store, report_id)
    if sr is None or sr.report is None:
        return None
    sr.report.findings = [Finding.model_validate(f) for f in sr.findings]
    return sr.report


def original_bytes(store, report_id: int) -> Optional[bytes]:
    got = get_original(store, report_id)
    return got[1] if got else None


def override_events(store, report_id: int) -> list[dict]:
    """The corrections of a report's cells, oldest first, shaped for the page."""
    return [
        {
            "id": o.id,
            "path": o.path,
            "label": T.cell_label(o.path),
            "old": o.old_value,
            "new": o.new_value,
            "why": o.reason,
            "who": o.author,
            "when": o.created_at.strftime("%Y-%m-%d %H:%M") if o.created_at else "",
        }
        for o in list_overrides(store, report_id)
    ]


def _num(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def agency_years(store, agency_id: int) -> list[tuple[int, int]]:
    """(year, report id) of one agency's readable reports, newest first."""
    r = S.reports
    q = (
        select(r.c.year, r.c.id)
        .where(r.c.agency_id == agency_id, r.c.status != "unreadable", r.c.year.is_not(None))
        .order_by(r.c.year.desc(), r.c.id.desc())
    )
    with store.engine.connect() as conn:
        return [(y, i) for y, i in conn.execute(q)]


def agencies_with_several_years(store, q: str = "", limit: int = 200) -> list[dict]:
    r, a = S.reports, S.agencies
    years = func.count(func.distinct(r.c.year))
    stmt = (
        select(a.c.id, a.c.name, a.c.province, a.c.city, a.c.county, years.label("n"), func.min(r.c.year), func.max(r.c.year))
        .select_from(r.join(a, r.c.agency_id == a.c.id))
        .where(r.c.status != "unreadable", r.c.year.is_not(None))
        .group_by(a.c.id, a.c.name, a.c.province, a.c.city, a.c.county)
        .having(years >= 2)
        .order_by(a.c.name)
        .limit(limit)
    )
    if q:
        stmt = stmt.where(a.c.name.like(f"%{_escape_like(q)}%", escape="\\"))

    def compute() -> list[dict]:
        with store.engine.connect() as conn:
            return [
                {"id": m[0], "name": m[1], "place": " ".join(p for p in m[2:5] if p), "n": m[5], "first": m[6], "last": m[7]}
                for m in conn.execute(stmt)
            ]

    return cached(store, "several_years", (q, limit), compute)


# --------------------------------------------------------------------------- filters' choices


def regions(store, province: str = "", city: str = "") -> dict[str, list[str]]:
    """The provinces, cities (of ``province``) and counties (of ``city``) present in the corpus."""
    a = S.agencies

    def distinct(col, *where):
        q = select(func.distinct(col)).where(col.is_not(None), *where).order_by(col)
        with store.engine.connect() as conn:
            return [v for (v,) in conn.execute(q) if v]

    return cached(store, "regions", (province, city), lambda: {
        "provinces": distinct(a.c.province),
        "cities": distinct(a.c.city, a.c.province == province) if province else [],
        "counties": distinct(a.c.county, a.c.province == province, a.c.city == city) if province and city else [],
    })


def years(store) -> list[int]:
    r = S.reports

    def compute():
        with store.engine.connect() as conn:
            return [y for (y,) in conn.execute(select(func.distinct(r.c.year)).where(r.c.year.is_not(None)).order_by(r.c.year.desc()))]

    return cached(store, "years", None, compute)


def kinds(store) -> list[str]:
    a = S.agencies

    def compute():
        with store.engine.connect() as conn:
            return [k for (k,) in conn.execute(select(func.distinct(a.c.kind)).where(a.c.kind.is_not(None)).order_by(a.c.kind))]

    return cached(store, "kinds", None, compute)


# --------------------------------------------------------------------------- overview


@dataclass
class Overview:
    total: int = 0
    unreadable: int = 0
    with_errors: int = 0
    partial: int = 0  # readable reports not fully read (spec §8): never counted as clean
    by_year: list[tuple[Any, int, int]] = field(default_factory=list)  # (year, reports, with errors)
    by_region: list[tuple[str, int, int]] = field(default_factory=list)  # (province or city, reports, with errors)
    region_year: dict[tuple[str, Any], int] = field(default_factory=dict)  # (region, year) -> reports
    by_rule: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, severity, count)
    by_severity: dict[str, int] = field(default_factory=dict)
    requests_by_year: list[tuple[int, float]] = field(default_factory=list)
    outcomes: list[tuple[str, float]] = field(default_factory=list)
    correction: list[tuple[int, Optional[float], Optional[float]]] = field(default_factory=list)  # year, 复议, 诉讼 (%)
    worst_agencies: list[tuple[str, int, int]] = field(default_factory=list)  # (name, errors, reports)
    as_of: Any = None  # when figures from before the latest writes are shown: when they were computed (UTC)


OUTCOME_GROUPS = (
    ("予以公开", ("granted",)),
    ("部分公开", ("partially_granted",)),
    ("不予公开", tuple(r.key for r in T.REQUEST_ROWS if r.key.startswith("denied_"))),
    ("无法提供", tuple(r.key for r in T.REQUEST_ROWS if r.key.startswith("unable_"))),
    ("不予处理", tuple(r.key for r in T.REQUEST_ROWS if r.key.startswith("rejected_"))),
    ("其他处理", ("other_handling",) + T.OTHER_SPLIT_KEYS),
)


def overview(store, f: Filters) -> Overview:
    """The figures and charts of 总览 for the filters; kept until the corpus changes (cache.py).
    After a write, the last figures are given (``as_of`` says when they were computed) while the
    current ones are computed in the background: on 10^5 reports that takes seconds."""
    from dataclasses import astuple

    value, when = latest(store, "overview", astuple(replace(f, page=1)), lambda: _overview(store, f))
    return value if when is None else replace(value, as_of=when)


def _overview(store, f: Filters) -> Overview:
    r, a, fi = S.reports, S.agencies, S.findings
    base = _base()
    scope = [w for w in f.where(readable_only=False)]
    readable = scope + [r.c.status != "unreadable"]
    out = Overview()
    region_col = a.c.city if f.province else a.c.province
    if f.city:
        region_col = a.c.county
    with store.engine.connect() as conn:
        out.total = conn.execute(select(func.count()).select_from(base).where(*readable)).scalar_one()
        out.unreadable = conn.execute(select(func.count()).select_from(base).where(*scope, r.c.status == "unreadable")).scalar_one()
        out.with_errors = conn.execute(select(func.count()).select_from(base).where(*readable, r.c.status == "errors")).scalar_one()
        out.partial = conn.execute(select(func.count()).select_from(base).where(*readable, r.c.reading == "partial")).scalar_one()
        is_err = func.sum(case((r.c.status == "errors", 1), else_=0))
        out.by_year = [
            (y, n, e or 0)
            for y, n, e in conn.execute(
                select(r.c.year, func.count(), is_err).select_from(base).where(*readable).group_by(r.c.year).order_by(r.c.year)
            )
        ]
        out.by_region = [
            (p or "未定位", n, e or 0)
            for p, n, e in conn.execute(
                select(region_col, func.count(), is_err).select_from(base).where(*readable).group_by(region_col).order_by(func.count().desc())
            )
        ]
        for p, y, n in conn.execute(
            select(region_col, r.c.year, func.count()).select_from(base).where(*readable).group_by(region_col, r.c.year)
        ):
            out.region_year[(p or "未定位", y)] = n
        fbase = fi.join(r, fi.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
        out.by_rule = [
            (rule, sev, n)
            for rule, sev, n in conn.execute(
                select(fi.c.rule, fi.c.severity, func.count()).select_from(fbase).where(*readable)
                .group_by(fi.c.rule, fi.c.severity).order_by(func.count().desc())
            )
        ]
        out.by_rule.sort(key=lambda t: (T.SEVERITY_ORDER.get(t[1], 3), -t[2], t[0]))  # errors first
        for _, sev, n in out.by_rule:
            out.by_severity[sev] = out.by_severity.get(sev, 0) + n
        # One pass over the readable reports' packs for every chart: the sums of ~20 cells by year.
        new_path = T.rq("new_received")
        outcome_paths = {T.rq(k): label for label, keys in OUTCOME_GROUPS for k in keys}
        rec, lit = METRIC_BY_KEY["reconsideration_correction_rate"], METRIC_BY_KEY["litigation_correction_rate"]
        appeal_paths = {*rec.numerator, *rec.denominator, *lit.numerator, *lit.denominator}
        paths = sorted({new_path, *outcome_paths, *appeal_paths})
        cp = S.cell_packs
        q = (
            select(r.c.year, cp.c.codes, cp.c.vals)
            .select_from(cp.join(r, cp.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id))
            .where(*readable)
        )
        by_year: dict[Any, dict[str, float]] = matrix(conn, q, paths).sums()
        years_known = sorted(y for y in by_year if y is not None)
        out.requests_by_year = [(y, _num(by_year[y][new_path])) for y in years_known if new_path in by_year[y]]
        mix: dict[str, float] = {}
        for sums in by_year.values():
            for p, v in sums.items():
                if p in outcome_paths:
                    mix[outcome_paths[p]] = mix.get(outcome_paths[p], 0) + v
        out.outcomes = [(label, _num(mix.get(label, 0))) for label, _ in OUTCOME_GROUPS]
        # 纠错率 as nianbao.metrics defines it, over the whole selection: Σ纠正 ÷ Σ已审结.
        out.correction = [(y, _rate_of(by_year[y], rec), _rate_of(by_year[y], lit)) for y in years_known]
        name = func.coalesce(a.c.name, r.c.agency_raw)
        out.worst_agencies = [
            (n or "（未识别机关）", e or 0, k)
            for n, e, k in conn.execute(
                select(name, func.sum(r.c.n_errors), func.count()).select_from(base).where(*readable, r.c.n_errors > 0)
                .group_by(name).order_by(func.sum(r.c.n_errors).desc()).limit(10)
            )
        ]
    return out


def _rate_of(sums: dict[str, float], metric) -> Optional[float]:
    whole = sum(sums.get(p, 0) or 0 for p in metric.denominator)
    if not whole:
        return None
    return round(100.0 * sum(sums.get(p, 0) or 0 for p in metric.numerator) / whole, 1)


def coverage(store, year: int, f: Filters) -> dict:
    """覆盖 for the list's filters: :func:`nianbao.store.coverage.coverage` (the one ``nianbao
    coverage`` and ``/api/coverage`` answer), with each agency's place, kind and latest report."""
    within = {k: getattr(f, k) for k in ("province", "city", "county") if getattr(f, k)}
    return store_coverage(store, year, within=within, kind=f.kind or None, detail=True)
