"""The audit log: who changed what in the corpus, and when (an agency assigned, renamed, merged or
abolished; a report re-read or deleted). Written inside the transaction of the change it records,
so an entry exists exactly when the change does; kept when the report or agency it names is gone.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Connection, insert, or_, select

from . import schema as S
from .db import Store

ACTIONS = {
    "assign": "指定机关",
    "rename": "更名",
    "merge": "合并",
    "place": "确认地区",
    "abolish": "撤销",
    "restore": "取消撤销",
    "reread": "重新读取",
    "delete": "删除报告",
}


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def record(
    conn: Connection, action: str, summary: str, *, author: str | None = None, agency_id: int | None = None,
    report_id: int | None = None, detail: dict | None = None,
) -> None:
    """Add one entry (inside the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; one of {sorted(ACTIONS)}")
    conn.execute(insert(S.audit_events).values(
        created_at=now(), author=author or None, action=action, agency_id=agency_id, report_id=report_id,
        summary=summary, detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
    ))


@dataclass
class AuditEvent:
    id: int
    at: dt.datetime
    author: str | None
    action: str
    agency_id: int | None
    report_id: int | None
    summary: str
    detail: dict

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def when(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M")

    def to_json(self) -> dict:
        return {"id": self.id, "at": self.at.isoformat(), "by": self.author, "action": self.action,
                "agency_id": self.agency_id, "report_id": self.report_id, "summary": self.summary, "detail": self.detail}


def events(
    store: Store, *, agency_id: int | None = None, report_id: int | None = None, limit: int = 500
) -> list[AuditEvent]:
    """Entries naming an agency or a report (either, when both are given; every entry when
    neither is), newest first."""
    t = S.audit_events
    q = select(t).order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)
    conds = []
    if agency_id is not None:
        conds.append(t.c.agency_id == agency_id)
    if report_id is not None:
        conds.append(t.c.report_id == report_id)
    if conds:
        q = q.where(or_(*conds))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        AuditEvent(r.id, r.created_at, r.author, r.action, r.agency_id, r.report_id, r.summary,
                   json.loads(r.detail) if r.detail else {})
        for r in rows
    ]
