"""The roster: the list of agencies that must publish a report, and coverage against it.

A roster file is CSV (UTF-8, GBK/GB18030) or Excel (.xlsx) with the columns 名称/name, 地区/region
and 类别/kind (a header row names them; without one they are taken in that order). Each row is
checked on its own: an empty name, a region that is not in the divisions dataset (or names more
than one), an unknown kind or a second row for the same agency is listed with its row number, and
the other rows are imported.

Coverage against the roster, for a report year: each agency on it is 按时发布, 逾期发布 (published
after its deadline), 发布日期不详, 逾期未发布 (no report and the deadline has passed) or 未到期. The
deadline depends on the agency's level (``template.DEADLINE_GOVERNMENT`` for a 人民政府 itself,
``DEADLINE_DEPARTMENT`` for the others; spec and 条例第四十九条).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, or_, select, update

from .. import limits
from .. import template as T
from ..errors import CorruptFile, NianbaoError
from .. import regions as R
from . import schema as S
from .cache import cached
from .agencies import KIND_GOVERNMENT, KIND_TOWNSHIP, KINDS, kind_of, place
from .agency_history import abolished_ids, agency_keys
from .db import Store
from .write import now

NAME_HEADERS = ("name", "名称", "机关", "机关名称", "单位", "单位名称", "机构名称")
REGION_HEADERS = ("region", "地区", "所在地区", "行政区划", "区划", "地区名称")
KIND_HEADERS = ("kind", "类别", "类型", "机关类别", "机关类型")

STATES = {
    "on_time": "按时发布",
    "late": "逾期发布",
    "undated": "已发布（日期不详）",
    "overdue": "逾期未发布",
    "not_due": "未到期",
}
SORTS = ("name", "region", "state", "published")


class RosterError(NianbaoError):
    code = "roster_error"


@dataclass
class Entry:
    row: int
    name: str
    key: str
    kind: str | None
    government: bool
    lookup: str = ""  # the name as placed (with the row's region before it when the name lacks one)
    region_code: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None


@dataclass
class Problem:
    row: int
    message: str

    def to_json(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- reading a file


def _rows_of(data: bytes, filename: str, bounds: "limits.Limits | None" = None) -> list[list[str]]:
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        # an XLSX is a zip: its members' number, sizes and compression ratio are checked (every
        # part unpacked in chunks and thrown away) before openpyxl unpacks anything
        try:
            limits.check_package(data, filename, "Excel 文件", bounds)
        except CorruptFile as e:  # not a zip at all: said as openpyxl's refusal is
            raise RosterError(f"{filename}: 无法读取 Excel 文件（{type(e).__name__}）", filename) from e
        except NianbaoError as e:  # too many parts, too large or too compressed unpacked
            raise RosterError(e.message, filename) from e
        try:
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # not a workbook, damaged, encrypted …
            raise RosterError(f"{filename}: 无法读取 Excel 文件（{type(e).__name__}）", filename) from e
        ws = wb.worksheets[0]
        out = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        return out
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(f"{filename}: 无法识别文件编码（请存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件）", filename)
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect=dialect)]


def _columns(header: list[str]) -> tuple[int, int | None, int | None] | None:
    """(name, region, kind) column indexes when the row is a header naming them, else None."""
    low = [h.strip().lower() for h in header]

    def find(names):
        return next((i for i, h in enumerate(low) if h in names), None)

    name = find(NAME_HEADERS)
    if name is None:
        return None
    return name, find(REGION_HEADERS), find(KIND_HEADERS)


def _region(text: str) -> tuple[R.Region | None, str | None]:
    """The region a roster cell names (a name from the province down, or a division code), or a problem."""
    idx = R.index()
    if text.isdigit():
        code = text.ljust(6, "0") if len(text) < 6 else text
        region = idx.by_code.get(text) or idx.by_code.get(code)
        return (region, None) if region else (None, f"行政区划代码“{text}”不存在")
    match = R.locate(text)
    if match is None or match.residual:
        return None, f"地区“{text}”不在行政区划中"
    if len(match.regions) > 1:
        names = "、".join("".join(R.chain(r).get(k, "") for k in (R.PROVINCE, R.CITY, R.COUNTY, R.TOWNSHIP)) for r in match.regions[:4])
        return None, f"地区“{text}”不唯一（{names}…），请写出上级地区或用行政区划代码"
    return match.regions[0], None


def parse_roster(data: bytes, filename: str = "名单", bounds: "limits.Limits | None" = None) -> Parsed:
    """The entries of a roster file and the problems of its bad rows (row numbers as in the file).
    ``bounds``: the limits an XLSX is checked against (default: the reading limits)."""
    rows = _rows_of(data, filename, bounds)
    out = Parsed()
    if not rows:
        raise RosterError(f"{filename}: 文件是空的", filename)
    cols = _columns(rows[0])
    start = 1
    if cols is None:
        cols, start = (0, 1, 2), 0
    name_i, region_i, kind_i = cols
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(row):
            continue

        def cell(i):
            return row[i].strip() if i is not None and i < len(row) else ""

        name, region_text, kind = cell(name_i), cell(region_i), cell(kind_i)
        if not name:
            out.problems.append(Problem(number, "缺少机关名称"))
            continue
        if kind and kind not in KINDS:
            out.problems.append(Problem(number, f"{name}：类别“{kind}”无效（可用：{'、'.join(KINDS)}）"))
            continue
        region = None
        if region_text:
            region, problem = _region(region_text)
            if problem:
                out.problems.append(Problem(number, f"{name}：{problem}"))
                continue
        placed, lookup = place(name), name
        if placed.placement != "placed" and region is not None:
            # a name without its place (教育局): the region the row gives places it
            lookup = "".join(R.chain(region).get(k, "") for k in (R.PROVINCE, R.CITY, R.COUNTY, R.TOWNSHIP)) + name
            placed = place(lookup)
        if placed.placement == "placed" and region is not None and not R.within(region.code, placed.region_code) \
                and not R.within(placed.region_code or "", region.code):
            out.problems.append(Problem(number, f"{name}：名称所指地区（{placed.region_code}）与所填地区“{region_text}”不符"))
            continue
        if placed.key in seen:
            out.problems.append(Problem(number, f"{name}：与第 {seen[placed.key]} 行是同一机关（重复）"))
            continue
        seen[placed.key] = number
        kind = kind or placed.kind
        gov = is_government_kind(kind)
        out.entries.append(Entry(
            row=number, name=name, key=placed.key, kind=kind, government=gov, lookup=lookup, region_code=placed.region_code,
            province=placed.province, city=placed.city, county=placed.county, township=placed.township,
        ))
    return out


def read_roster_file(path: str | Path) -> Parsed:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise RosterError(f"{p}: 无法读取机关名单 ({e.strerror or e})", str(p)) from e
    return parse_roster(data, p.name)


# --------------------------------------------------------------------------- the stored roster


def import_roster(store: Store, entries: list[Entry], *, replace: bool = False) -> dict:
    """Store the entries (an agency already on the roster is updated); ``replace`` clears it first.
    Answers ``{"added", "updated", "total"}``."""
    ro = S.roster
    added = updated = 0
    at = now()
    with store.engine.begin() as conn:
        if replace:
            conn.execute(delete(ro))
        existing = dict(conn.execute(select(ro.c.key, ro.c.id)).all())
        for e in entries:
            values = dict(name=e.name, kind=e.kind, government=e.government, region_code=e.region_code,
                          province=e.province, city=e.city, county=e.county, township=e.township, imported_at=at)
            if e.key in existing:
                conn.execute(update(ro).where(ro.c.id == existing[e.key]).values(**values))
                updated += 1
            else:
                conn.execute(insert(ro).values(key=e.key, **values))
                added += 1
        total = conn.execute(select(func.count()).select_from(ro)).scalar_one()
    return {"added": added, "updated": updated, "total": total}


def roster_size(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(S.roster)).scalar_one()


def is_government_kind(kind: str | None) -> bool:
    """A 人民政府 itself (a township's included) publishes by 3月31日; a department by 1月31日."""
    return kind in (KIND_GOVERNMENT, KIND_TOWNSHIP)


def deadline(year: int, government: bool) -> dt.date:
    month, day = T.DEADLINE_GOVERNMENT if government else T.DEADLINE_DEPARTMENT
    return dt.date(year + 1, month, day)


def state_of(year: int, government: bool, report_id: int | None, published: str | None, today: dt.date) -> str:
    due = deadline(year, government)
    if report_id is None:
        return "overdue" if today > due else "not_due"
    try:
        day = dt.date.fromisoformat(published) if published else None
    except ValueError:
        day = None
    if day is None:
        return "undated"
    return "late" if day > due else "on_time"


def roster_coverage(
    store: Store, year: int, *, region: str | None = None, state: str | None = None, sort: str = "region",
    descending: bool = False, limit: int | None = 100, offset: int = 0, today: dt.date | None = None,
) -> dict:
    """Coverage of the roster (or, when none was imported, of the corpus's agencies) for a report
    year: ``{"year", "roster": bool, "total", "counts": {state: n}, "items"}``,
    items ``{"agency", "region", "kind", "deadline", "state", "state_label", "report_id", "published",
    "last_year", "last_report_id"}`` (the agency's newest readable report of any year)
    filtered by region and state, sorted, one page."""
    if state is not None and state not in STATES:
        raise RosterError(f"状态“{state}”无效（可用：{'、'.join(STATES)}）")
    if sort not in SORTS:
        raise RosterError(f"排序“{sort}”无效（可用：{'、'.join(SORTS)}）")
    today = today or dt.date.today()
    on_roster, all_items, counts = cached(store, "roster_coverage", (year, region, today),
                                          lambda: _all_items(store, year, region, today))

    def ordered() -> list[dict]:
        items = [it for it in all_items if it["state"] == state] if state else list(all_items)
        order = list(STATES)
        keys = {
            "name": lambda it: (it["agency"],),
            "region": lambda it: (it["region"] or "", it["agency"]),
            "state": lambda it: (order.index(it["state"]), it["region"] or "", it["agency"]),
            "published": lambda it: (it["published"] or "", it["agency"]),
        }
        items.sort(key=keys[sort], reverse=descending)
        return items

    items = cached(store, "roster_order", (year, region, today, state, sort, descending), ordered)
    total = len(items)
    page = items[offset: offset + limit] if limit is not None else items[offset:]
    return {"year": year, "roster": on_roster, "total": total, "counts": counts, "items": page}


def _all_items(store: Store, year: int, region: str | None, today: dt.date) -> tuple[bool, list[dict], dict]:
    """Every agency of the roster (or the corpus) in the region with its state for the year, and
    the counts by state; kept until the corpus changes (cache.py)."""
    ro, a, r = S.roster, S.agencies, S.reports
    with store.engine.connect() as conn:
        on_roster = conn.execute(select(func.count()).select_from(ro)).scalar_one() > 0
        # without a roster, the agencies the corpus knows stand in for it (spec §7)
        t = ro if on_roster else a
        cols = [t.c.key, t.c.name, t.c.kind, t.c.province, t.c.city, t.c.county, t.c.township]
        q = select(*cols, ro.c.government if on_roster else a.c.kind.in_((KIND_GOVERNMENT, KIND_TOWNSHIP)).label("government"))
        if region:
            q = q.where(or_(t.c.province == region, t.c.city == region, t.c.county == region, t.c.township == region,
                            t.c.region_code == region))
        entries = conn.execute(q).all()
        agency_of = agency_keys(conn)  # former names of merged or renamed agencies included
        gone = abolished_ids(conn, year)  # abolished agencies owe no report from that year on
        # a report stored but unreadable still was published (as store/coverage.py counts it); a
        # readable one of the same agency and year is preferred
        reports: dict[int, tuple[int, str | None]] = {}
        for aid, rid, pub, status in conn.execute(
            select(r.c.agency_id, r.c.id, r.c.published, r.c.status)
            .where(r.c.year == year, r.c.agency_id.is_not(None)).order_by((r.c.status != "unreadable"), r.c.id)
        ):
            reports[aid] = (rid, pub)
        latest: dict[int, tuple[int, int]] = {}  # agency id → (year, report id) of its newest readable report
        for aid, y, rid in conn.execute(
            select(r.c.agency_id, r.c.year, r.c.id)
            .where(r.c.agency_id.is_not(None), r.c.year.is_not(None), r.c.status != "unreadable").order_by(r.c.year, r.c.id)
        ):
            latest[aid] = (y, rid)
    items = []
    for e in entries:
        aid = agency_of.get(e.key)
        rid, pub = reports.get(aid, (None, None))
        if rid is None and aid in gone:
            continue
        last_year, last_id = latest.get(aid, (None, None))
        government = e.government if e.government is not None else is_government_kind(kind_of(e.name, False))
        st = state_of(year, government, rid, pub, today)
        items.append({
            "agency": e.name, "region": "".join(p for p in (e.province, e.city, e.county, e.township) if p) or None,
            "kind": e.kind, "deadline": deadline(year, government).isoformat(), "state": st,
            "state_label": STATES[st], "report_id": rid, "published": pub, "last_year": last_year,
            "last_report_id": last_id,
        })
    counts = {k: 0 for k in STATES}
    for it in items:
        counts[it["state"]] += 1
    return on_roster, items, counts


def unassigned_reports(store: Store, *, limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
    """The 待确认机关 queue: readable reports the corpus could not tie to an agency, newest first."""
    r = S.reports
    where = [r.c.agency_id.is_(None), r.c.status != "unreadable"]
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(r).where(*where)).scalar_one()
        rows = conn.execute(
            select(r.c.id, r.c.agency_raw, r.c.title, r.c.year, r.c.path, r.c.ingested_at).where(*where)
            .order_by(r.c.id.desc()).limit(limit).offset(offset)
        ).all()
    return total, [
        {"id": x.id, "agency_printed": x.agency_raw, "title": x.title, "year": x.year, "path": x.path} for x in rows
    ]
