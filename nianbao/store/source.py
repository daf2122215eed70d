"""The lines of a report's original as the reader numbered them, kept at ingest (``source_lines``)
so that the web's source view never reads an original again inside a request.

Each kept line is ``[line, page, text]``, and for some lines a fourth item, a dict:

- ``cells`` and ``origins``: a row of a real grid (HTML/DOCX table, ruled PDF table), its cells and
  the source cell of each slot (equal numbers: one merged cell over its span), so that the view
  shows a merged cell once;
- ``cuts``: where the reader's segment stage cuts a long line (the character offsets of its
  pieces after the first), so that a crawler page printed on one line is shown in readable pieces.

Lines kept before these were added have none; the view then shows them as plain lines.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from sqlalchemy import Connection, delete, insert, select

from . import schema as S
from .db import Store
from .write import load_original

Line = tuple[int, Optional[int], str]  # (line number, page, text)


@dataclass
class StoredLines:
    format: Optional[str]
    pages: int  # pages of a paged format, else 0
    lines: list[Line]
    extras: dict[int, dict[str, Any]] = field(default_factory=dict)  # index in ``lines`` → cells/origins/cuts


def kept_lines(lines: Iterable[Any], pieces_of: Callable[[Any, int], list]) -> list[list]:
    """The lines to keep for a report, from the reader's lines (``nianbao.read.Line``: ``line``,
    ``page``, ``text``, ``cells``, ``origins``, ``offset``) and the segment stage's cut of one line
    (``pieces_of(line, index)``, pieces with their ``offset``), handed over by the pipeline."""
    out: list[list] = []
    for i, ln in enumerate(lines):
        kept: list = [ln.line, ln.page, ln.text]
        extra: dict[str, Any] = {}
        if ln.cells is not None:
            extra["cells"] = list(ln.cells)
            if ln.origins is not None and len(ln.origins) == len(ln.cells):
                extra["origins"] = list(ln.origins)
        else:
            cuts = [p.offset - ln.offset for p in pieces_of(ln, i)]
            cuts = [c for c in cuts if 0 < c < len(ln.text)]
            if cuts:
                extra["cuts"] = cuts
        if extra:
            kept.append(extra)
        out.append(kept)
    return out


def save_lines(conn: Connection, report_id: int, fmt: Optional[str], lines: Optional[list]) -> None:
    """Replace a report's stored lines (none kept when ``lines`` is None). A line is
    ``(line, page, text)`` or, from :func:`kept_lines`, ``[line, page, text, extra]``."""
    conn.execute(delete(S.source_lines).where(S.source_lines.c.report_id == report_id))
    if lines is None:
        return
    pages = max((ln[1] or 0 for ln in lines), default=0)
    data = zlib.compress(json.dumps([list(ln) for ln in lines], ensure_ascii=False).encode("utf-8"), 6)
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
    lines: list[Line] = []
    extras: dict[int, dict] = {}
    for i, kept in enumerate(json.loads(zlib.decompress(bytes(row.data)))):
        lines.append((kept[0], kept[1], kept[2]))
        if len(kept) > 3 and kept[3]:
            extras[i] = kept[3]
    return StoredLines(row.format, row.pages, lines, extras)


def pdf_original(store: Store, report_id: int) -> Optional[tuple[str, bool]]:
    """The PDF to show a report's pages from, as (sha256, own): the report's own original when it
    is a PDF (``own``), else a PDF joined to it as another copy of the same report
    (``report_copies``); None when neither is stored. Its bytes: :func:`original_data`."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(S.reports.c.sha256, S.reports.c.format).where(S.reports.c.id == report_id)
        ).first()
        if row is None:
            return None
        if row.format == "pdf":
            return row.sha256, True
        copies = conn.execute(
            select(S.report_copies.c.sha256).where(S.report_copies.c.report_id == report_id)
            .order_by(S.report_copies.c.joined_at)
        ).scalars().all()
        for sha in copies:
            data = load_original(conn, sha)
            if data is not None and b"%PDF-" in data[:1024]:
                return sha, False
    return None


def original_data(store: Store, sha: str) -> Optional[bytes]:
    """The bytes of a stored original."""
    with store.engine.connect() as conn:
        return load_original(conn, sha)
