"""Findings people work on (spec §7, the "reconcile or explain" practice): a stable id per finding,
a review state with who, when and a note, and a history that survives re-reading and re-checking.

- The id (``findings.key``) is made of the report, the rule and the sorted cells, so the same rule
  on the same cells of the same report keeps its id whenever the report is re-read, re-checked or
  corrected, and whatever the rule's message or severity becomes. Two findings of one rule on the
  same cells of a report (rules without cells) are told apart by their order.
- ``finding_reviews`` has one row per id ever made. Its ``state`` is the people's
  (open | confirmed | dismissed | explained); ``active`` says whether the rule fires now. A finding
  that no longer fires is shown as ``resolved`` and keeps its row and history; when it fires again it
  is shown in its former state.
- :func:`sync` runs wherever a report's findings are rewritten (``write.refresh_counts``).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from dataclasses import dataclass
import datetime as dt

from sqlalchemy import Connection, insert, select, update

from ..errors import StoreError
from . import schema as S
from .cache import cached, sql_key
from .db import Store
from .raw import raw

REVIEW_STATES = ("confirmed", "dismissed", "explained")
STATES = ("open", *REVIEW_STATES, "resolved")
STATE_LABEL = {
    "open": "待处理", "confirmed": "已确认", "dismissed": "已排除", "explained": "已说明", "resolved": "已消除",
    "reopened": "再次出现",
}


def finding_key(report_id: int, rule: str, cells: list[str], n: int = 1) -> str:
    """The stable id of a finding: ``<report id>-<8 hex digits>``."""
    text = "\x1f".join([str(report_id), rule, *sorted(cells)] + ([f"#{n}"] if n > 1 else []))
    return f"{report_id}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


def now() -> dt.datetime:
    """UTC, to the microsecond: corrections and reviews made in the same second keep their order."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


_FINDING = "id, report_id, rule, severity, message, cells, expected, actual, origin, other_report_id, extra, key"


def _snapshot_of(f: tuple, cells: list) -> str:
    """The JSON kept of a finding as last made (a row of :data:`_FINDING`, its cells decoded)."""
    d = {"rule": f[2], "severity": f[3], "message": f[4], "cells": cells, "expected": f[6], "actual": f[7],
         "origin": f[8], "other_report_id": f[9]}
    if f[10]:
        d["extra"] = json.loads(f[10])
    return _SNAPSHOT.encode(d)


_SNAPSHOT = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # json.dumps(d, ensure_ascii=False, sort_keys=True), made once


def sync(conn: Connection, report_ids) -> dict[int, dict[str, int]]:
    """Give the current findings of some reports their ids, and bring ``finding_reviews`` in line:
    new ids open, ids that fire no more resolved, ids that fire again back in their state.
    (Plain statements, a few for any number of reports: the batch writer runs it for every batch.)
    Returns each report's findings counted by severity (a report without findings: absent)."""
    ids = sorted({i for i in report_ids if i is not None})
    counts: dict[int, dict[str, int]] = {}
    if not ids:
        return counts
    r = raw(conn)
    rows = sorted(r.chunked(f"SELECT {_FINDING} FROM findings WHERE report_id IN ({{ids}})", ids),
                  key=lambda f: (f[1], f[0]))
    current: dict[str, tuple] = {}  # key → (finding row, its cells)
    seen: dict[tuple, int] = {}
    new_keys = []
    for f in rows:
        n = counts.setdefault(f[1], {})
        n[f[3]] = n.get(f[3], 0) + 1
        cells = json.loads(f[5])
        base = (f[1], f[2], tuple(sorted(cells)))
        seen[base] = seen.get(base, 0) + 1
        key = finding_key(f[1], f[2], cells, seen[base])
        current[key] = (f, cells)
        if f[11] != key:
            new_keys.append((key, f[0]))
    r.many("UPDATE findings SET key = ? WHERE id = ?", new_keys)
    tracked = {t[0]: t for t in r.chunked(
        "SELECT key, report_id, active, state, snapshot FROM finding_reviews WHERE report_id IN ({ids})", ids)}
    t0 = r.stamp(now())
    events, fresh, reopened, changed, resolved = [], [], [], [], []
    for key, (f, cells) in current.items():
        snap = _snapshot_of(f, cells)
        t = tracked.get(key)
        if t is None:
            fresh.append((key, f[1], f[2], "open", True, snap, t0, t0))
        elif not t[2]:
            reopened.append((True, snap, t0, key))
            events.append((f[1], key, "reopened", None, f"规则再次触发，恢复为“{STATE_LABEL[t[3]]}”", t0))
        elif t[4] != snap:
            changed.append((snap, key))
    for key, t in tracked.items():
        if key not in current and t[2]:
            resolved.append((False, t0, key))
            events.append((t[1], key, "resolved", None, "规则不再触发（重新读取、重新核查或更正之后）", t0))
    r.many("UPDATE finding_reviews SET active = ?, snapshot = ?, changed_at = ? WHERE key = ?", reopened)
    r.many("UPDATE finding_reviews SET snapshot = ? WHERE key = ?", changed)
    r.many("UPDATE finding_reviews SET active = ?, changed_at = ? WHERE key = ?", resolved)
    r.insert_rows("finding_reviews", ("key", "report_id", "rule", "state", "active", "snapshot", "first_seen", "changed_at"), fresh)
    r.insert_rows("review_events", ("report_id", "key", "state", "author", "note", "created_at"), events)
    return counts


def state_of(active, state) -> str:
    """The state shown: the people's state while the finding fires, else ``resolved``."""
    if state is None:
        return "open"
    return state if active else "resolved"


def review_of(by, at, note) -> dict | None:
    if by is None and at is None:
        return None
    return {"by": by, "at": at.isoformat() if at else None, "note": note}


@dataclass
class Reviewed:
    id: str
    report_id: int
    rule: str
    state: str  # as shown (resolved when the rule no longer fires)
    review: dict | None
    finding: dict  # the finding as last made


def review(store: Store, finding_id: str, state: str, note: str | None = None, by: str | None = None) -> Reviewed:
    """Record a person's review of a finding (``confirmed``, ``dismissed``, ``explained``, or
    ``open`` to withdraw a review). Raises :class:`StoreError` for an unknown id or state, or an
    ``explained`` without a note; nothing is recorded then."""
    if state not in (*REVIEW_STATES, "open"):
        raise StoreError(f"{state}: 不是可用的处理结果（可用 {' | '.join(REVIEW_STATES)}）")
    note = (note or "").strip() or None
    by = (by or "").strip() or None
    if state == "explained" and not note:
        raise StoreError("“已说明”必须写明说明内容（--note）")
    fr = S.finding_reviews
    t0 = now()
    with store.engine.begin() as conn:
        row = conn.execute(select(fr).where(fr.c.key == (finding_id or "").strip())).first()
        if row is None:
            raise StoreError(f"问题 {finding_id} 不存在（问题编号见 nianbao findings --json 的 id）")
        conn.execute(update(fr).where(fr.c.key == row.key).values(
            state=state, review_by=by, review_at=t0, review_note=note, changed_at=t0))
        conn.execute(insert(S.review_events).values(
            report_id=row.report_id, key=row.key, state=state, author=by, note=note, created_at=t0))
    return Reviewed(row.key, row.report_id, row.rule, state_of(row.active, state), review_of(by, t0, note),
                    json.loads(row.snapshot))


def get_review(store: Store, finding_id: str) -> Reviewed | None:
    fr = S.finding_reviews
    with store.engine.connect() as conn:
        row = conn.execute(select(fr).where(fr.c.key == finding_id)).first()
    if row is None:
        return None
    return Reviewed(row.key, row.report_id, row.rule, state_of(row.active, row.state),
                    review_of(row.review_by, row.review_at, row.review_note), json.loads(row.snapshot))


def resolved_findings(store: Store, report_id: int | None = None) -> list[Reviewed]:
    """Findings that no longer fire (kept with their history), oldest first."""
    fr = S.finding_reviews
    q = select(fr).where(fr.c.active.is_(False)).order_by(fr.c.report_id, fr.c.first_seen, fr.c.key)
    if report_id is not None:
        q = q.where(fr.c.report_id == report_id)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Reviewed(r.key, r.report_id, r.rule, "resolved", review_of(r.review_by, r.review_at, r.review_note),
                     json.loads(r.snapshot)) for r in rows]


def review_events(store: Store, report_id: int) -> list[dict]:
    """The reviews of a report's findings and their automatic resolve/reopen, oldest first:
    ``{"finding", "rule", "state", "by", "at", "note", "message"}``."""
    e, fr = S.review_events, S.finding_reviews
    q = (
        select(e, fr.c.rule, fr.c.snapshot)
        .select_from(e.outerjoin(fr, fr.c.key == e.c.key))
        .where(e.c.report_id == report_id)
        .order_by(e.c.created_at, e.c.id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    out = []
    for r in rows:
        snap = json.loads(r.snapshot) if r.snapshot else {}
        out.append({
            "finding": r.key, "rule": r.rule, "state": r.state, "by": r.author,
            "at": r.created_at.isoformat() if r.created_at else None, "note": r.note,
            "message": snap.get("message"),
        })
    return out


def history(store: Store, report_id: int) -> list[dict]:
    """The corrections and reviews of a report, oldest first (``nianbao history``).

    A correction: ``{"kind": "correction", "at", "by", "cell", "label", "old", "new", "read", "note"}``
    (``read``: the value as read); a review: ``{"kind": "review", "at", "by", "finding", "rule",
    "old", "new", "note", "message"}`` (``old``/``new``: the state before and after; the automatic
    ``resolved``/``reopened`` have ``by`` None). Raises :class:`StoreError` for an unknown report."""
    from ..template import cell_label
    from . import cellpack
    from .overrides import list_overrides
    from .queries import _num

    with store.engine.connect() as conn:
        if conn.execute(select(S.reports.c.id).where(S.reports.c.id == report_id)).first() is None:
            raise StoreError(f"报告 {report_id} 不存在")
        read = {c.path: _num(c.read_value) for c in cellpack.cells_of(conn, report_id)}
    out = []
    for o in list_overrides(store, report_id):
        out.append({
            "kind": "correction", "at": o.created_at.isoformat() if o.created_at else None, "by": o.author or None,
            "cell": o.path, "label": cell_label(o.path), "old": o.old_value, "new": o.new_value,
            "read": read.get(o.path), "note": o.reason or None,
        })
    shown: dict[str, str] = {}  # the state shown before each event
    people: dict[str, str] = {}  # the people's state (what a reopened finding returns to)
    for e in review_events(store, report_id):
        key = e["finding"]
        before = shown.get(key, "open")
        if e["state"] == "resolved":
            after = "resolved"
        elif e["state"] == "reopened":
            after = people.get(key, "open")
        else:
            after = people[key] = e["state"]
        shown[key] = after
        out.append({
            "kind": "review", "at": e["at"], "by": e["by"], "finding": key, "rule": e["rule"],
            "old": before, "new": after, "note": e["note"], "message": e["message"],
        })
    out.sort(key=lambda x: x["at"] or "")
    return out


SORTS = ("severity", "year", "agency", "rule", "state", "report")


def finding_page(
    store: Store, scope: list | tuple = (), *, rule: str | None = None, severity: str | None = None,
    state: str | None = None, sort: str = "severity", descending: bool = False, limit: int | None = 100,
    offset: int = 0,
) -> tuple[int, list[dict]]:
    """Findings across the corpus, one page: the one finding list of the package (the 问题 page,
    its downloads and ``/api/findings`` call it).

    :param scope: SQL conditions on ``reports``/``agencies`` choosing the reports (filters).
    :param state: open | confirmed | dismissed | explained | resolved; None: every finding that
        fires now. ``resolved`` lists the findings that no longer fire (kept with their history).
    :param sort: one of ``SORTS`` (``report``: by report id, then as the report lists them);
        ``descending`` reverses it; ties by severity, newest year, agency.
    Returns (total, items); an item is the finding of spec §7 (``rule``, ``severity``,
    ``message``, ``cells``, ``expected``, ``actual`` and any other key) with its ``id``,
    ``state``, ``review``, ``report_id``, ``agency``, ``year`` and ``source`` {path, sha256}.
    """
    from sqlalchemy import case, func, or_

    from .queries import _num, finding_json

    if sort not in SORTS:
        raise ValueError(f"sort {sort!r}: expected one of {', '.join(SORTS)}")
    r, a, fr = S.reports, S.agencies, S.finding_reviews
    name = func.coalesce(a.c.name, r.c.agency_raw)
    where = list(scope)
    if state == "resolved":
        if rule:
            where.append(fr.c.rule == rule)
        if severity:
            where.append(fr.c.snapshot.like(f'%"severity": "{severity}"%'))
        where.append(fr.c.active.is_(False))
        base = fr.join(r, fr.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
        cols = [fr, r.c.year, r.c.path, r.c.sha256, name.label("agency_name")]
        sev, rule_col, state_col, last = None, fr.c.rule, None, [fr.c.report_id, fr.c.first_seen, fr.c.key]
    else:
        f = S.findings
        if rule:
            where.append(f.c.rule == rule)
        if severity:
            where.append(f.c.severity == severity)
        if state == "open":
            where.append(or_(fr.c.state.is_(None), fr.c.state == "open"))
        elif state:
            where.append(fr.c.state == state)
        base = f.join(r, f.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id).outerjoin(fr, fr.c.key == f.c.key)
        sev = case((f.c.severity == "error", 0), (f.c.severity == "warning", 1), else_=2)
        cols = [f, fr.c.state.label("review_state"), fr.c.active.label("review_active"), fr.c.review_by,
                fr.c.review_at, fr.c.review_note, r.c.year, r.c.path, r.c.sha256, name.label("agency_name")]
        rule_col, state_col, last = f.c.rule, func.coalesce(fr.c.state, "open"), [f.c.report_id, f.c.id]
    keys = {"severity": [sev] if sev is not None else [], "year": [r.c.year], "agency": [name], "rule": [rule_col],
            "state": [state_col] if state_col is not None else [], "report": last}[sort]
    first = [(k.desc() if descending else k.asc()).nulls_last() for k in keys]
    ties = [x for x in (sev, r.c.year.desc().nulls_last(), name) if x is not None] if sort != "report" else []
    pk = fr.c.key if state == "resolved" else S.findings.c.id
    order_base = base
    if state not in ("resolved", "open", *REVIEW_STATES) and sort != "state":  # no review column needed
        order_base = S.findings.join(r, S.findings.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id)
    ordered = select(pk).select_from(order_base).where(*where).order_by(*first, *ties, *last)

    def compute():
        with store.engine.connect() as conn:
            keys = (k for (k,) in conn.execute(ordered))
            return list(keys) if state == "resolved" else array("q", keys)

    # the order of every finding the filters select, kept until the corpus changes (cache.py):
    # the count and every page are slices of it
    keys_in_order = cached(store, "finding_ids", sql_key(store, ordered), compute)
    total = len(keys_in_order)
    page = keys_in_order[offset:] if limit is None else keys_in_order[offset: offset + limit]
    found = {}
    with store.engine.connect() as conn:
        for start in range(0, len(page), 500):
            chunk = list(page[start: start + 500])
            q = select(*cols).select_from(base).where(pk.in_(chunk))
            found.update((getattr(row, "key") if state == "resolved" else row.id, row) for row in conn.execute(q))
    rows = [found[k] for k in page if k in found]
    out = []
    for row in rows:
        if state == "resolved":
            snap = json.loads(row.snapshot)
            d = {"id": row.key, **{k: snap.get(k) for k in ("rule", "severity", "message")},
                 "cells": snap.get("cells") or [], "expected": _num(snap.get("expected")),
                 "actual": _num(snap.get("actual"))}
            d.update(snap.get("extra") or {})
            d.update({"state": "resolved", "review": review_of(row.review_by, row.review_at, row.review_note)})
        else:
            d = {k: v for k, v in finding_json(row).items() if k != "origin"}
            d.setdefault("id", row.key)
            d.setdefault("state", "open")
        d.update({"report_id": row.report_id, "agency": row.agency_name, "year": row.year,
                  "source": {"path": row.path, "sha256": row.sha256}})
        out.append(d)
    return total, out
