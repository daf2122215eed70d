"""A person's corrections of a cell (更正), kept as events: who, when, old value, new value, why.

Where the corrected value lives (the one place every output reads): the stored report. For a
corrected cell, its value in the report's cells (``cell_packs``) and the stored model hold the
latest correction, and the cells keep the value as read; the model also lists its ``corrections``
(``{path: {"read": …, "value": …}}``). A re-read (``reparse``) writes the new reading and applies the
corrections again (:func:`apply`, from ``write.write_report``).

The checks are not run here: :func:`nianbao.corrections.correct` validates a correction, records it
with :func:`correct_cells` and passes the checker in, so that the report's findings and its
cross-year pairs are re-run in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from typing import Callable, Optional

from sqlalchemy import Connection, insert, select, update

from ..errors import StoreError
from ..model import Finding, Report
from ..template import all_cells, request_cells
from . import schema as S
from .db import Store
from .queries import _num, get_report
from .review import now

# every cell either template has, with （六） printed as one row or as three
_KNOWN_PATHS = {c.path for v in ("2019", "2021") for c in all_cells(v)} | {
    c.path for c in request_cells("2021", other_split=False)
}


@dataclass
class Override:
    id: int
    report_id: int
    path: str
    old_value: float | int | None
    new_value: float | int | None
    reason: str
    author: str
    created_at: dt.datetime

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d["created_at"] = self.created_at.isoformat()
        return d


def _row(r) -> Override:
    return Override(r.id, r.report_id, r.path, _num(r.old_value), _num(r.new_value), r.reason, r.author, r.created_at)


def list_overrides(store: Store, report_id: int | None = None) -> list[Override]:
    """Every override (of one report), oldest first."""
    q = select(S.overrides).order_by(S.overrides.c.id)
    if report_id is not None:
        q = q.where(S.overrides.c.report_id == report_id)
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(q)]


def latest(conn: Connection, report_id: int) -> dict[str, float | int | None]:
    """The latest corrected value of each corrected cell of a report."""
    out: dict[str, float | int | None] = {}
    q = select(S.overrides.c.path, S.overrides.c.new_value).where(S.overrides.c.report_id == report_id)
    for r in conn.execute(q.order_by(S.overrides.c.id)):
        out[r.path] = _num(r.new_value)
    return out


def apply(report: Report, fixes: dict) -> Report:
    """A copy of ``report`` with corrected values set, ``corrections`` listing each corrected cell's
    value as read, and corrected cells no longer counted as unread (a person has read them)."""
    if not fixes:
        return report
    out = report.model_copy(deep=True)
    known = dict((report.model_extra or {}).get("corrections") or {})
    corrections = {}
    for path, value in fixes.items():
        read = known[path]["read"] if path in known else (report.get(path) if report.has(path) else None)
        corrections[path] = {"read": read, "value": value}
        out.set(path, value)
    setattr(out, "corrections", corrections)
    unread = [p for p in out.reading.unread if p not in fixes]
    out.reading.inferred = [p for p in out.reading.inferred if p not in fixes]
    if unread != out.reading.unread:
        out.reading.unread = unread
        if not unread:
            out.reading.status = "complete"
    return out


def _check_event(path: str, new_value, reason: str, author: str) -> None:
    if path not in _KNOWN_PATHS:
        raise StoreError(f"{path}: 不是年报表格中的单元格", path)
    if new_value is not None and (not isinstance(new_value, (int, float)) or isinstance(new_value, bool)):
        raise StoreError(f"{new_value!r}: 单元格的值必须是数字或空")


def correct_cells(
    store: Store,
    report_id: int,
    changes: list[tuple[str, Optional[float | int]]],
    reason: str = "",
    author: str = "",
    check: Callable[[Report], list[Finding]] | None = None,
    pair: Callable[[Report, Report], list[Finding]] | None = None,
) -> list[Override]:
    """Record corrections of cells of a report, in one transaction: one event per cell (old value:
    the value in force before), the stored model and cells updated, the report's own findings
    replaced by ``check(corrected report)`` and its cross-year findings by ``pair`` when given (the
    checker's, passed in from above: the store imports no checker), and the findings' review records
    brought in line (without them the findings are left as they are: :func:`add_override`). Raises :class:`StoreError` (nothing recorded) for an
    unknown or unreadable report or an unknown cell."""
    from . import cellpack, relations
    from .write import refresh_counts, write_findings

    for path, value in changes:
        _check_event(path, value, reason, author)
    with store.engine.begin() as conn:
        row = conn.execute(
            select(S.reports.c.id, S.reports.c.status, S.reports.c.model).where(S.reports.c.id == report_id)
        ).first()
        if row is None:
            raise StoreError(f"报告 {report_id} 不存在")
        if row.status == "unreadable" or row.model is None:
            raise StoreError(f"报告 {report_id} 未能读取，没有可修改的单元格")
        stored = Report.model_validate_json(row.model)
        corrected: dict[str, float | int | None] = {}
        events = []
        for path, value in changes:
            old = stored.get(path) if stored.has(path) else None
            values = dict(
                report_id=report_id, path=path, old_value=old, new_value=value,
                reason=(reason or "").strip(), author=(author or "").strip(), created_at=now(),
            )
            oid = conn.execute(insert(S.overrides).values(**values).returning(S.overrides.c.id)).scalar_one()
            events.append(Override(oid, **{**values, "old_value": _num(old), "new_value": _num(value)}))
            stored = apply(stored, {**_corrections_of(stored), path: value})
            corrected[path] = value
        cellpack.set_values(conn, report_id, corrected)
        if check is not None:
            stored.findings = check(stored)
            conn.execute(S.findings.delete().where(S.findings.c.report_id == report_id, S.findings.c.origin == "check"))
            write_findings(conn, report_id, list(stored.findings), "check")
        conn.execute(
            update(S.reports).where(S.reports.c.id == report_id).values(
                model=stored.model_dump_json(exclude={"findings"}), reading=stored.reading.status,
            )
        )
        if check is not None and pair is not None:
            touched = relations.refresh_cross_year(conn, report_id, pair, stored)
            refresh_counts(conn, touched)
    return events


def reread(store: Store, report_id: int | None, report: Report | None, check: Callable[[Report], list[Finding]]):
    """A fresh reading of a stored report (``reparse``) with that report's corrections applied and
    its findings re-made by ``check`` on the corrected values (the reader's were made on the values
    as read); the reading itself when the report has no correction."""
    if report is None or report_id is None:
        return report
    with store.engine.connect() as conn:
        fixes = latest(conn, report_id)
    if not fixes:
        return report
    shown = apply(report, fixes)
    shown.findings = check(shown)
    return shown


def _corrections_of(report: Report) -> dict:
    return {p: c["value"] for p, c in ((report.model_extra or {}).get("corrections") or {}).items()}


def add_override(
    store: Store, report_id: int, path: str, new_value: float | int | None, reason: str, author: str
) -> Override:
    """Record that ``author`` sets cell ``path`` of a report to ``new_value`` because ``reason``
    (the store's part only: no check is re-run; use :func:`nianbao.corrections.correct`, which
    validates the value and re-runs the report's checks and its cross-year pairs)."""
    return correct_cells(store, report_id, [(path, new_value)], reason, author)[0]


def report_with_overrides(store: Store, report_id: int) -> Report | None:
    """The stored report with its corrections applied (the stored model already has them); None
    when absent or unreadable."""
    sr = get_report(store, report_id)
    if sr is None or sr.report is None:
        return None
    return sr.report
