"""A person's changes to agencies (issue 15 §2), each one transaction with its audit entry:

- :func:`assign_report`: a report belongs to this agency (from the report page or the 待确认机关
  queue); a re-read keeps it (``write.write_report`` asks :func:`assigned_to`).
- :func:`rename_agency`: a misread or changed name; the old name stays an alias, so a later ingest
  of it lands here.
- :func:`merge_agencies`: one agency into another (a duplicate, a reorganised bureau): its reports,
  aliases, assignments and history move over, its name becomes an alias, the row goes.
- :func:`set_abolished`: abolished from a report year on; coverage no longer expects a report from
  that year (:func:`abolished_ids`), a report it did publish still counts.

The cross-year findings of the reports concerned are re-made with the ``pair`` rule the caller
hands over (the store imports no checker), then their counts and review states refreshed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from ..errors import StoreError
from . import schema as S
from .agencies import place
from .audit import now, record
from .db import Store

PairCheck = Callable  # (earlier Report, later Report) -> [Finding]

class UnknownAgency(StoreError):
    """No agency of the corpus answers to a name."""


_ID_SUFFIX = re.compile(r"[（(]\s*#\s*([0-9]+)\s*[)）]\s*$|^\s*#\s*([0-9]+)\s*$")
_ID = re.compile(r"[0-9]+")
MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL store: a larger "id" names no agency


def option_label(name: str, agency_id: int) -> str:
    """How an agency is offered in a pick list; :func:`find_agency` reads it back."""
    return f"{name}（#{agency_id}）"


# --------------------------------------------------------------------------- lookups used by the writer and coverage


def alias_of(conn: Connection, key: str) -> int | None:
    """The agency a former name (its key) now designates."""
    return conn.execute(select(S.agency_aliases.c.agency_id).where(S.agency_aliases.c.key == key)).scalar()


def assigned_to(conn: Connection, report_id: int | None) -> int | None:
    """The agency a person assigned a report to (None: the reader's reading stands)."""
    if report_id is None:
        return None
    return conn.execute(select(S.report_agency.c.agency_id).where(S.report_agency.c.report_id == report_id)).scalar()


def abolished_ids(conn: Connection, year: int) -> set[int]:
    """Agencies abolished at or before a report year: no report of that year is owed."""
    t = S.agency_abolished
    return set(conn.execute(select(t.c.agency_id).where(t.c.year <= year)).scalars())


def agency_keys(conn: Connection) -> dict[str, int]:
    """Every key an agency answers to (its own, and its former names') → agency id."""
    out = {k: i for k, i in conn.execute(select(S.agency_aliases.c.key, S.agency_aliases.c.agency_id))}
    out.update({k: i for k, i in conn.execute(select(S.agencies.c.key, S.agencies.c.id))})
    return out


def find_agency(conn: Connection, text: str | int):
    """An agency named by a person: its id (``12``, ``#12``), a pick-list label (``名称（#12）``),
    its exact name, or any name that normalises to its key or a former name's. Raises
    :class:`StoreError` (in Chinese) when none or several match."""
    a = S.agencies
    cols = (a.c.id, a.c.name, a.c.key)

    def by_id(n: int | str, said: str, context: str = ""):
        n = n if isinstance(n, int) else int(n) if len(n) <= 19 else 0  # int() of 4,300+ digits raises
        row = conn.execute(select(*cols).where(a.c.id == n)).first() if 0 < n <= MAX_ID else None
        if row is None:
            raise StoreError(f"机关编号 {said} 不存在{context}")
        return row

    if isinstance(text, int):
        return by_id(text, str(text))
    text = (text or "").strip()
    if not text:
        raise StoreError("请填写机关名称")
    if _ID.fullmatch(text):  # ASCII digits only ("²" is a name); too large: no such agency
        return by_id(text, text[:25] + ("…" if len(text) > 25 else ""))
    m = _ID_SUFFIX.search(text)
    if m:
        digits = m.group(1) or m.group(2)
        return by_id(digits, digits[:25] + ("…" if len(digits) > 25 else ""), f"（“{text[:60]}”）")
    rows = conn.execute(select(*cols).where(a.c.name == text)).all()
    if len(rows) > 1:
        raise StoreError(f"“{text}”对应多个机关（编号 {'、'.join(str(r.id) for r in rows)}），请从列表中选择")
    if rows:
        return rows[0]
    key = place(text).key
    row = conn.execute(select(*cols).where(a.c.key == key)).first()
    if row is None:
        aid = alias_of(conn, key)
        row = conn.execute(select(*cols).where(a.c.id == aid)).first() if aid is not None else None
    if row is None:
        raise UnknownAgency(f"库中没有机关“{text}”")
    return row


def _agency_or_error(conn: Connection, agency_id: int):
    row = conn.execute(select(S.agencies).where(S.agencies.c.id == agency_id)).first()
    if row is None:
        raise StoreError(f"机关编号 {agency_id} 不存在")
    return row


def _refresh(conn: Connection, report_ids, pair: PairCheck | None) -> None:
    """Re-make the cross-year findings of some reports (when a pair rule is given) and refresh
    the counts and review states of every report touched."""
    from . import relations
    from .write import refresh_counts

    touched = set(report_ids)
    if pair is not None:
        for rid in sorted(report_ids):
            touched |= relations.refresh_cross_year(conn, rid, pair)
    refresh_counts(conn, touched)


def _add_alias(conn: Connection, key: str, name: str, agency_id: int) -> None:
    t = S.agency_aliases
    if conn.execute(select(t.c.key).where(t.c.key == key)).first():
        conn.execute(update(t).where(t.c.key == key).values(agency_id=agency_id))
    else:
        conn.execute(insert(t).values(key=key, agency_id=agency_id, name=name, created_at=now()))


# --------------------------------------------------------------------------- changes


def assign_report(
    store: Store, report_id: int, agency: str | int, author: str | None = None, pair: PairCheck | None = None
) -> int:
    """Assign a report to an agency (an existing one, found by :func:`find_agency`, or, for a name
    the corpus does not know, a new agency placed like an ingested name). Returns the agency id."""
    from .write import agency_id as agency_for_name

    r = S.reports
    with store.engine.begin() as conn:
        rep = conn.execute(select(r.c.id, r.c.status, r.c.year, r.c.agency_id, r.c.agency_raw).where(r.c.id == report_id)).first()
        if rep is None:
            raise StoreError(f"报告 {report_id} 不存在")
        if rep.status == "unreadable":
            raise StoreError(f"报告 {report_id} 无法读取，不能指定机关")
        created = False
        try:
            target = find_agency(conn, agency)
        except UnknownAgency:
            if len(str(agency).strip()) > 200:
                raise StoreError("机关名称过长（最多 200 字）") from None
            aid = agency_for_name(conn, str(agency).strip())
            target = conn.execute(select(S.agencies.c.id, S.agencies.c.name, S.agencies.c.key).where(S.agencies.c.id == aid)).first()
            created = True
        old = conn.execute(select(S.agencies.c.id, S.agencies.c.name).where(S.agencies.c.id == rep.agency_id)).first() \
            if rep.agency_id is not None else None
        conn.execute(update(r).where(r.c.id == report_id).values(agency_id=target.id))
        ra = S.report_agency
        conn.execute(delete(ra).where(ra.c.report_id == report_id))
        conn.execute(insert(ra).values(report_id=report_id, agency_id=target.id, author=author or None, created_at=now()))
        what = f"报告 #{report_id}（{rep.year or '年度未识别'}年，报告所写机关：{rep.agency_raw or '未写明'}）"
        was = f"原属“{old.name}”" if old else "原为待确认机关"
        summary = f"{what}归入“{target.name}”，{was}" + ("；新建此机关" if created else "")
        detail = {"report_id": report_id, "from": old.id if old else None, "to": target.id, "created": created}
        record(conn, "assign", summary, author=author, agency_id=target.id, report_id=report_id, detail=detail)
        if old is not None and old.id != target.id:
            record(conn, "assign", f"{what}改归“{target.name}”", author=author, agency_id=old.id, detail=detail)
        _refresh(conn, {report_id}, pair)
    return target.id


def rename_agency(store: Store, agency_id: int, new_name: str, author: str | None = None) -> None:
    """Give an agency another name: placed again from it (a placement a person made is kept when
    the new name cannot be placed), the old name kept as an alias. A name that designates another
    agency is refused (merge them instead)."""
    new_name = (new_name or "").strip()
    if not new_name:
        raise StoreError("新名称不能为空")
    if len(new_name) > 200:
        raise StoreError("新名称过长（最多 200 字）")
    a = S.agencies
    with store.engine.begin() as conn:
        row = _agency_or_error(conn, agency_id)
        if new_name == row.name:
            raise StoreError(f"新名称与现名称相同：“{new_name}”")
        p = place(new_name)
        other = conn.execute(select(a.c.id, a.c.name).where(a.c.key == p.key, a.c.id != agency_id)).first()
        if other is None:
            owner = alias_of(conn, p.key)
            if owner is not None and owner != agency_id:
                other = conn.execute(select(a.c.id, a.c.name).where(a.c.id == owner)).first()
        if other is not None:
            raise StoreError(f"“{new_name}”已是另一机关“{other.name}”（#{other.id}）的名称；如为同一机关，请使用“合并”")
        values = {"name": new_name, "key": p.key}
        if p.placement == "placed" or row.placement != "placed":
            values.update({k: v for k, v in p.row().items() if k not in ("key", "name")})
        if p.key != row.key:
            _add_alias(conn, row.key, row.name, agency_id)
            conn.execute(delete(S.agency_aliases).where(S.agency_aliases.c.key == p.key))
        conn.execute(update(a).where(a.c.id == agency_id).values(**values))
        record(conn, "rename", f"更名：“{row.name}”→“{new_name}”（原名称保留为别名）", author=author, agency_id=agency_id,
               detail={"old": row.name, "new": new_name, "old_key": row.key, "new_key": p.key})


def merge_agencies(
    store: Store, source_id: int, target_id: int, author: str | None = None, pair: PairCheck | None = None
) -> int:
    """Merge agency ``source_id`` into ``target_id``; returns the number of reports moved."""
    if source_id == target_id:
        raise StoreError("不能把机关与自身合并")
    a, r = S.agencies, S.reports
    with store.engine.begin() as conn:
        src = _agency_or_error(conn, source_id)
        dst = _agency_or_error(conn, target_id)
        moved = list(conn.execute(select(r.c.id).where(r.c.agency_id == source_id)).scalars())
        conn.execute(update(r).where(r.c.agency_id == source_id).values(agency_id=target_id))
        conn.execute(update(S.report_agency).where(S.report_agency.c.agency_id == source_id).values(agency_id=target_id))
        conn.execute(update(S.agency_aliases).where(S.agency_aliases.c.agency_id == source_id).values(agency_id=target_id))
        _add_alias(conn, src.key, src.name, target_id)
        # the history of the agency merged away becomes the history of the one it joined
        conn.execute(update(S.audit_events).where(S.audit_events.c.agency_id == source_id).values(agency_id=target_id))
        src_gone = conn.execute(select(S.agency_abolished.c.year).where(S.agency_abolished.c.agency_id == source_id)).scalar()
        conn.execute(delete(S.agency_abolished).where(S.agency_abolished.c.agency_id == source_id))
        conn.execute(delete(a).where(a.c.id == source_id))
        record(conn, "merge", f"“{src.name}”（#{source_id}，报告 {len(moved)} 份）并入本机关，原名称保留为别名", author=author,
               agency_id=target_id, detail={"source": source_id, "source_name": src.name, "source_key": src.key,
                                             "target": target_id, "target_name": dst.name, "reports": moved,
                                             "source_abolished": src_gone})
        _refresh(conn, set(moved), pair)
    return len(moved)


def place_agency(store: Store, agency_id: int, region_code: str, author: str | None = None) -> None:
    """A person places an agency the reader could not place for certain (a name found in several
    regions, or in none): ``region_code`` is a code of the divisions dataset. The agency keeps its
    key, so later reports under the same name join it, placed."""
    from .. import regions as R
    from .agencies import kind_of

    code = (region_code or "").strip()
    region = R.index().by_code.get(code)
    if region is None:
        raise StoreError(f"行政区划代码“{code[:20]}”不存在")
    a = S.agencies
    with store.engine.begin() as conn:
        row = _agency_or_error(conn, agency_id)
        chain = R.chain(region)
        conn.execute(update(a).where(a.c.id == agency_id).values(
            placement="placed", region_code=region.code, province=chain.get(R.PROVINCE), city=chain.get(R.CITY),
            county=chain.get(R.COUNTY), township=chain.get(R.TOWNSHIP),
            kind=kind_of(row.name, region.level == R.TOWNSHIP), candidates=None,
        ))
        where = "".join(chain.get(level, "") for level in R.LEVELS)
        was = " ".join(p for p in (row.province, row.city, row.county, row.township) if p) or "未定位"
        record(conn, "place", f"确认地区：{where}（{region.code}），原为{was}", author=author, agency_id=agency_id,
               detail={"old": row.region_code, "new": region.code, "old_placement": row.placement})


def set_abolished(store: Store, agency_id: int, year: int | None, author: str | None = None) -> None:
    """Mark an agency abolished from a report year on (``year`` None: no longer abolished)."""
    if year is not None and not (1990 <= year <= 2100):
        raise StoreError(f"年度“{year}”无效")
    t = S.agency_abolished
    with store.engine.begin() as conn:
        row = _agency_or_error(conn, agency_id)
        was = conn.execute(select(t.c.year).where(t.c.agency_id == agency_id)).scalar()
        conn.execute(delete(t).where(t.c.agency_id == agency_id))
        if year is None:
            if was is None:
                raise StoreError(f"“{row.name}”未标记为撤销")
            record(conn, "restore", f"取消撤销标记（原自 {was} 年度起撤销）", author=author, agency_id=agency_id,
                   detail={"old": was, "new": None})
            return
        conn.execute(insert(t).values(agency_id=agency_id, year=year, author=author or None, created_at=now()))
        before = f"（原为自 {was} 年度起）" if was is not None else ""
        record(conn, "abolish", f"标记为自 {year} 年度起撤销{before}：此后年度不再计为未发布", author=author,
               agency_id=agency_id, detail={"old": was, "new": year})


# --------------------------------------------------------------------------- the agency page


@dataclass
class AgencyPage:
    id: int
    name: str
    kind: str | None
    placement: str
    place: str
    region_code: str | None
    abolished_from: int | None
    aliases: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)  # names as printed in its reports
    years: list[tuple[int | None, list[dict]]] = field(default_factory=list)  # newest first
    candidates: list[dict] = field(default_factory=list)

    @property
    def n_reports(self) -> int:
        return sum(len(rs) for _, rs in self.years)


def agency_page(store: Store, agency_id: int) -> AgencyPage | None:
    a, r = S.agencies, S.reports
    with store.engine.connect() as conn:
        row = conn.execute(select(a).where(a.c.id == agency_id)).first()
        if row is None:
            return None
        reps = conn.execute(
            select(r.c.id, r.c.year, r.c.status, r.c.reading, r.c.n_errors, r.c.n_warnings, r.c.published, r.c.path,
                   r.c.agency_raw, r.c.title)
            .where(r.c.agency_id == agency_id).order_by(r.c.year.desc(), r.c.id.desc())
        ).all()
        aliases = list(conn.execute(select(S.agency_aliases.c.name).where(S.agency_aliases.c.agency_id == agency_id)
                                    .order_by(S.agency_aliases.c.created_at)).scalars())
        gone = conn.execute(select(S.agency_abolished.c.year).where(S.agency_abolished.c.agency_id == agency_id)).scalar()
        assigned = set(conn.execute(select(S.report_agency.c.report_id).where(S.report_agency.c.agency_id == agency_id)).scalars())
    years: dict[int | None, list[dict]] = {}
    for x in reps:
        years.setdefault(x.year, []).append({**x._mapping, "assigned": x.id in assigned})
    return AgencyPage(
        id=row.id, name=row.name, kind=row.kind, placement=row.placement,
        place=" ".join(p for p in (row.province, row.city, row.county, row.township) if p), region_code=row.region_code,
        abolished_from=gone, aliases=aliases, printed=sorted({x.agency_raw for x in reps if x.agency_raw}),
        years=sorted(years.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0))),
        candidates=json.loads(row.candidates) if row.candidates else [],
    )


SORTS = ("name", "place", "reports")


def search_agencies(
    store: Store, q: str = "", *, limit: int | None = 50, offset: int = 0, sort: str = "name", descending: bool = False
) -> tuple[int, list[dict]]:
    """Agencies whose name (or a former name) contains ``q``, sorted by ``sort`` (one of
    :data:`SORTS`): (total, one page of ``{"id", "name", "kind", "place", "reports", "abolished_from"}``)."""
    if sort not in SORTS:
        raise StoreError(f"排序“{sort}”无效（可用：{'、'.join(SORTS)}）")
    a, r = S.agencies, S.reports
    q = (q or "").strip()
    where = []
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        former = select(S.agency_aliases.c.agency_id).where(S.agency_aliases.c.name.like(like, escape="\\"))
        where.append(or_(a.c.name.like(like, escape="\\"), a.c.id.in_(former)))
    ab = S.agency_abolished
    joined = a.outerjoin(ab, ab.c.agency_id == a.c.id)
    if sort == "reports":  # every agency's count, from the (agency, year) index, in one pass
        counts = select(r.c.agency_id.label("aid"), func.count().label("n")).where(r.c.agency_id.is_not(None)) \
            .group_by(r.c.agency_id).subquery()
        joined = joined.outerjoin(counts, counts.c.aid == a.c.id)
        keys = [func.coalesce(counts.c.n, 0)]
    else:
        keys = {"name": [a.c.name], "place": [a.c.province, a.c.city, a.c.county, a.c.township]}[sort]
    # the chosen column in the chosen direction; ties by name, A to Z
    stmt = (
        select(a.c.id, a.c.name, a.c.kind, a.c.province, a.c.city, a.c.county, a.c.township, ab.c.year.label("abolished_from"))
        .select_from(joined).where(*where)
        .order_by(*[k.desc() if descending else k for k in keys], a.c.name, a.c.id).offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(a).where(*where)).scalar_one()
        rows = conn.execute(stmt).all()
        ids = [x.id for x in rows]
        n_of: dict[int, int] = {}
        for i in range(0, len(ids), 500):  # the counts of the page's agencies only
            n_of.update(conn.execute(select(r.c.agency_id, func.count()).where(r.c.agency_id.in_(ids[i:i + 500]))
                                     .group_by(r.c.agency_id)).all())
    return total, [
        {"id": x.id, "name": x.name, "kind": x.kind, "reports": n_of.get(x.id, 0), "abolished_from": x.abolished_from,
         "place": " ".join(p for p in (x.province, x.city, x.county, x.township) if p)}
        for x in rows
    ]
