"""A stored report's files and its removal (the report page, issue 15 §6).

- :func:`report_files`: the original a report was read from and the files joined to it as copies
  (``report_copies``), each with the paths it was ingested from, for download.
- :func:`deletion_preview` / :func:`delete_report`: what deleting a report removes, and the removal
  itself in one transaction with its audit entry: the report, its cells, findings, corrections,
  reviews, source lines, copies and originals (an original another report still uses stays), and
  the findings of other reports that named it; the cross-year findings of the reports that had
  been paired with it are re-made (``pair``, handed over by the caller). Nothing is half-deleted:
  any failure rolls the whole removal back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select, update

from ..errors import StoreError
from . import cellpack
from . import schema as S
from .audit import record
from .db import Store
from .write import load_original

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "text": "text/plain",
    "markdown": "text/markdown",
}


@dataclass
class StoredFile:
    sha256: str
    size: int
    paths: list[str]
    primary: bool  # the file the report was read from (else a copy joined to it)

    @property
    def name(self) -> str:
        """A file name for the download: the last part of its first path (a zip member's own name)."""
        path = (self.paths[0] if self.paths else self.sha256).replace("\\", "/")
        return os.path.basename(path.split("!")[-1]) or self.sha256


def report_files(store: Store, report_id: int) -> list[StoredFile]:
    """The report's original first, then its copies in the order they were joined."""
    r, c, o, src = S.reports, S.report_copies, S.originals, S.sources
    with store.engine.connect() as conn:
        main = conn.execute(select(r.c.sha256, r.c.path).where(r.c.id == report_id)).first()
        if main is None:
            return []
        shas = [main.sha256] + list(conn.execute(
            select(c.c.sha256).where(c.c.report_id == report_id, c.c.sha256 != main.sha256).order_by(c.c.joined_at)
        ).scalars())
        sizes = dict(conn.execute(select(o.c.sha256, o.c.size).where(o.c.sha256.in_(shas))).all())
        paths: dict[str, list[str]] = {}
        for sha, path in conn.execute(select(src.c.sha256, src.c.path).where(src.c.sha256.in_(shas)).order_by(src.c.first_seen, src.c.path)):
            paths.setdefault(sha, []).append(path)
    out = []
    for sha in shas:
        if sha not in sizes:
            continue  # never stored (should not happen): nothing to offer
        ps = paths.get(sha, [])
        if sha == main.sha256 and main.path in ps:
            ps = [main.path] + [p for p in ps if p != main.path]
        out.append(StoredFile(sha, sizes[sha], ps or ([main.path] if sha == main.sha256 else []), sha == main.sha256))
    return out


def file_bytes(store: Store, report_id: int, sha256: str) -> bytes | None:
    """The bytes of one of a report's files (None when the file is not one of the report's)."""
    if sha256 not in {f.sha256 for f in report_files(store, report_id)}:
        return None
    with store.engine.connect() as conn:
        return load_original(conn, sha256)


def _count(conn: Connection, table, *where) -> int:
    return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def deletion_preview(store: Store, report_id: int) -> dict | None:
    """What deleting the report removes: counts of its cells, findings, corrections, reviews,
    files, and of the other reports' findings that name it."""
    r = S.reports
    with store.engine.connect() as conn:
        row = conn.execute(select(r.c.id, r.c.year, r.c.agency_raw, r.c.path).where(r.c.id == report_id)).first()
        if row is None:
            return None
        return {
            "cells": cellpack.count(conn, report_id),
            "findings": _count(conn, S.findings, S.findings.c.report_id == report_id),
            "corrections": _count(conn, S.overrides, S.overrides.c.report_id == report_id),
            "reviews": _count(conn, S.review_events, S.review_events.c.report_id == report_id,
                              S.review_events.c.author.is_not(None)),
            "copies": _count(conn, S.report_copies, S.report_copies.c.report_id == report_id),
            "named_by": _count(conn, S.findings, S.findings.c.other_report_id == report_id,
                               S.findings.c.report_id != report_id),
        }


def delete_report(store: Store, report_id: int, author: str | None = None, pair=None) -> dict:
    """Delete a report and everything that is only its; returns what was removed (for the audit
    entry and the page). Raises :class:`StoreError` when the report does not exist."""
    from . import relations
    from .write import refresh_counts

    r, f = S.reports, S.findings
    with store.engine.begin() as conn:
        row = conn.execute(
            select(r.c.id, r.c.sha256, r.c.path, r.c.year, r.c.agency_id, r.c.agency_raw, r.c.status).where(r.c.id == report_id)
        ).first()
        if row is None:
            raise StoreError(f"报告 {report_id} 不存在")
        agency = conn.execute(select(S.agencies.c.name).where(S.agencies.c.id == row.agency_id)).scalar() \
            if row.agency_id is not None else None
        copies = list(conn.execute(select(S.report_copies.c.sha256).where(S.report_copies.c.report_id == report_id)).scalars())
        removed = {
            "cells": cellpack.count(conn, report_id),
            "findings": _count(conn, f, f.c.report_id == report_id),
            "corrections": _count(conn, S.overrides, S.overrides.c.report_id == report_id),
            "reviews": _count(conn, S.review_events, S.review_events.c.report_id == report_id, S.review_events.c.author.is_not(None)),
            "files": 1 + len(copies),
        }
        # the reports whose findings name this one (cross-year pairs, copied text) lose them
        named_by = set(conn.execute(select(f.c.report_id).where(f.c.other_report_id == report_id, f.c.report_id != report_id)).scalars())
        paired = set(conn.execute(select(f.c.report_id).where(f.c.other_report_id == report_id, f.c.origin == "cross_year",
                                                             f.c.report_id != report_id)).scalars())
        if row.agency_id is not None and row.year is not None:  # next year's report is paired anew
            paired |= set(conn.execute(select(r.c.id).where(r.c.agency_id == row.agency_id, r.c.year == row.year + 1)).scalars())
        conn.execute(delete(f).where(f.c.other_report_id == report_id))
        for table in (S.cell_packs, S.text_bands, S.overrides, S.source_lines, S.finding_reviews, S.review_events,
                      S.report_copies, S.report_agency):
            conn.execute(delete(table).where(table.c.report_id == report_id))
        conn.execute(delete(f).where(f.c.report_id == report_id))
        conn.execute(update(S.drafts).where(S.drafts.c.based_on == report_id).values(based_on=None))
        conn.execute(delete(r).where(r.c.id == report_id))
        for sha in [row.sha256] + copies:
            still_used = conn.execute(select(r.c.id).where(r.c.sha256 == sha)).first() or \
                conn.execute(select(S.report_copies.c.report_id).where(S.report_copies.c.sha256 == sha)).first()
            if not still_used:
                conn.execute(delete(S.sources).where(S.sources.c.sha256 == sha))
                conn.execute(delete(S.originals).where(S.originals.c.sha256 == sha))
        who = f"{agency or row.agency_raw or '未识别机关'}{row.year or ''}{'年' if row.year else ''}"
        summary = (f"删除报告 #{report_id}（{who}，文件 {row.path}）：单元格 {removed['cells']} 个、问题 {removed['findings']} 项、"
                   f"更正 {removed['corrections']} 条、处理记录 {removed['reviews']} 条、文件 {removed['files']} 个")
        record(conn, "delete", summary, author=author, agency_id=row.agency_id, report_id=report_id,
               detail={**removed, "path": row.path, "sha256": row.sha256, "year": row.year, "agency": agency or row.agency_raw})
        touched = set(named_by)
        if pair is not None:
            for rid in sorted(paired):
                touched |= relations.refresh_cross_year(conn, rid, pair)
        refresh_counts(conn, touched)
    return {**removed, "agency_id": row.agency_id, "summary": summary}
