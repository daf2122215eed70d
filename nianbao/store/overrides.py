"""A person's corrections of a cell (from the web UI), kept as events: who, when, old value, new
value, why. The value read from the document stays in ``cells``; a report "with overrides" is
the stored report with the latest override of each cell applied."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt

from sqlalchemy import insert, select

from ..errors import StoreError
from ..model import Report
from ..template import all_cells, request_cells
from . import schema as S
from .db import Store
from .queries import _num, get_report
from .write import now

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


def add_override(
    store: Store, report_id: int, path: str, new_value: float | int | None, reason: str, author: str
) -> Override:
    """Record that ``author`` sets cell ``path`` of a report to ``new_value`` because ``reason``.

    ``old_value`` is the value in force before (the latest override, else the value read).
    Raises :class:`StoreError` for an unknown report or cell, or an empty reason or author.
    """
    if path not in _KNOWN_PATHS:
        raise StoreError(f"{path}: 不是年报表格中的单元格", path)
    if not (reason or "").strip():
        raise StoreError("修改单元格必须填写理由")
    if not (author or "").strip():
        raise StoreError("修改单元格必须注明修改人")
    if new_value is not None and (not isinstance(new_value, (int, float)) or isinstance(new_value, bool)):
        raise StoreError(f"{new_value!r}: 单元格的值必须是数字或空")
    with store.engine.begin() as conn:
        exists = conn.execute(select(S.reports.c.id, S.reports.c.status).where(S.reports.c.id == report_id)).first()
        if exists is None:
            raise StoreError(f"报告 {report_id} 不存在")
        if exists.status == "unreadable":
            raise StoreError(f"报告 {report_id} 未能读取，没有可修改的单元格")
        last = conn.execute(
            select(S.overrides.c.new_value)
            .where(S.overrides.c.report_id == report_id, S.overrides.c.path == path)
            .order_by(S.overrides.c.id.desc())
            .limit(1)
        ).first()
        if last is not None:
            old = last.new_value
        else:
            old = conn.execute(
                select(S.cells.c.value).where(S.cells.c.report_id == report_id, S.cells.c.path == path)
            ).scalar()
        values = dict(
            report_id=report_id, path=path, old_value=old, new_value=new_value,
            reason=reason.strip(), author=author.strip(), created_at=now(),
        )
        oid = conn.execute(insert(S.overrides).values(**values).returning(S.overrides.c.id)).scalar_one()
    return Override(oid, **{**values, "old_value": _num(old), "new_value": _num(new_value)})


def report_with_overrides(store: Store, report_id: int) -> Report | None:
    """The stored report (as read) with the latest override of each cell applied; None when absent
    or unreadable. The values as read stay in the database."""
    sr = get_report(store, report_id)
    if sr is None or sr.report is None:
        return None
    report = sr.report
    latest: dict[str, Override] = {}
    for o in list_overrides(store, report_id):
        latest[o.path] = o
    for path, o in latest.items():
        report.set(path, o.new_value)
    return report
