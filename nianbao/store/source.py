"""The lines of a report's original as the reader numbered them, kept at ingest (``source_lines``)
so that the web's source view never reads an original again inside a request."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Connection, delete, insert, select

from . import schema as S
from .db import Store

Line = tuple[int, Optional[int], str]  # (line number, page, text)


@dataclass
class StoredLines:
    format: Optional[str]
    pages: int  # pages of a paged format, else 0
    lines: list[Line]


def save_lines(conn: Connection, report_id: int, fmt: Optional[str], lines: Optional[list[Line]]) -> None:
    """Replace a report's stored lines (none kept when ``lines`` is None)."""
    conn.execute(delete(S.source_lines).where(S.source_lines.c.report_id == report_id))
    if lines is None:
        return
    pages = max((page or 0 for _, page, _ in lines), default=0)
    data = zlib.compress(json.dumps(lines, ensure_ascii=False).encode("utf-8"), 6)
    conn.execute(insert(S.source_lines).values(report_id=report_id, format=fmt, pages=pages, data=data))


def load_lines(store: Store, report_id: int) -> Optional[StoredLines]:
    """A report's stored lines, or None when none were kept (a report stored before they were, or
    one built in code)."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(S.source_lines.c.format, S.source_lines.c.pages, S.source_lines.c.data)
            .where(S.source_lines.c.report_id == report_id)
        ).first()
    if row is None:
        return None
    lines = [(n, page, text) for n, page, text in json.loads(zlib.decompress(bytes(row.data)))]
    return StoredLines(row.format, row.pages, lines)
