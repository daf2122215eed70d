"""Drafts of the web editor (编写): a report being written, kept in the corpus database.

Each save replaces the draft's report object and explanations (the draft is the clerk's working
copy, not a published report: it is not in ``reports`` and no corpus view counts it).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import insert, select, update

from ..model import Report
from . import schema as S
from .db import Store


@dataclass
class Draft:
    id: int
    agency: str
    year: int
    based_on: Optional[int]
    report: Report
    explanations: dict[str, str]
    author: Optional[str]
    created_at: dt.datetime
    updated_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _dump(report: Report) -> str:
    data = report.model_dump(mode="json")
    data["findings"] = []  # findings are computed on every view, never stored with the draft
    return json.dumps(data, ensure_ascii=False)


def create(store: Store, report: Report, based_on: Optional[int] = None, author: Optional[str] = None) -> int:
    t = _now()
    with store.engine.begin() as conn:
        result = conn.execute(
            insert(S.drafts).values(
                agency=report.meta.agency or "", year=report.meta.year or 0, based_on=based_on,
                report=_dump(report), explanations="{}", author=author, created_at=t, updated_at=t,
            )
        )
        return int(result.inserted_primary_key[0])


def save(store: Store, draft_id: int, report: Report, explanations: dict[str, str]) -> None:
    kept = {k: v for k, v in explanations.items() if (v or "").strip()}
    with store.engine.begin() as conn:
        conn.execute(
            update(S.drafts).where(S.drafts.c.id == draft_id).values(
                agency=report.meta.agency or "", year=report.meta.year or 0, report=_dump(report),
                explanations=json.dumps(kept, ensure_ascii=False), updated_at=_now(),
            )
        )


def _draft(row) -> Draft:
    return Draft(
        id=row.id, agency=row.agency, year=row.year, based_on=row.based_on,
        report=Report.model_validate(json.loads(row.report)), explanations=json.loads(row.explanations or "{}"),
        author=row.author, created_at=row.created_at, updated_at=row.updated_at,
    )


def get(store: Store, draft_id: int) -> Optional[Draft]:
    with store.engine.connect() as conn:
        row = conn.execute(select(S.drafts).where(S.drafts.c.id == draft_id)).first()
    return _draft(row) if row else None


def listing(store: Store, limit: int = 200) -> list[dict]:
    d = S.drafts
    q = select(d.c.id, d.c.agency, d.c.year, d.c.based_on, d.c.updated_at).order_by(d.c.updated_at.desc()).limit(limit)
    with store.engine.connect() as conn:
        return [dict(m) for m in conn.execute(q).mappings()]
