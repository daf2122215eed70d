"""Writing one report (original, sources, agency, report row, cells, findings) inside the caller's
transaction. Nothing here commits: :mod:`nianbao.store.ingest` wraps each report in one
transaction, so an interrupted ingest never leaves a half-written report."""

from __future__ import annotations

import datetime as dt
import json
import zlib

from sqlalchemy import Connection, delete, insert, select, update

import nianbao
from ..model import Finding, Report
from . import schema as S
from .agencies import place
from .agency_history import alias_of, assigned_to


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def store_original(conn: Connection, sha: str, data: bytes) -> None:
    if conn.execute(select(S.originals.c.sha256).where(S.originals.c.sha256 == sha)).first():
        return
    packed = zlib.compress(data, 6)
    if len(packed) < 0.9 * len(data):
        row = {"compression": "zlib", "data": packed}
    else:
        row = {"compression": "none", "data": data}
    conn.execute(insert(S.originals).values(sha256=sha, size=len(data), **row))


def load_original(conn: Connection, sha: str) -> bytes | None:
    row = conn.execute(select(S.originals.c.compression, S.originals.c.data).where(S.originals.c.sha256 == sha)).first()
    if row is None:
        return None
    data = bytes(row.data)
    return zlib.decompress(data) if row.compression == "zlib" else data


def insert_ignore(conn: Connection, table, values: dict) -> None:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    conn.execute(dialect_insert(table).values(**values).on_conflict_do_nothing())


def add_source(conn: Connection, sha: str, path: str) -> None:
    insert_ignore(conn, S.sources, {"sha256": sha, "path": path, "first_seen": now()})


def agency_id(conn: Connection, name: str | None) -> int | None:
    """The id of the agency a name designates, created when new."""
    if not name or not name.strip():
        return None
    p = place(name)
    row = conn.execute(select(S.agencies.c.id).where(S.agencies.c.key == p.key)).first()
    if row:
        return row.id
    former = alias_of(conn, p.key)  # a name merged away or renamed lands on its agency
    if former is not None:
        return former
    return conn.execute(insert(S.agencies).values(**p.row()).returning(S.agencies.c.id)).scalar_one()


def finding_row(report_id: int, f: Finding, origin: str, other_report_id: int | None = None) -> dict:
    extra = dict(f.model_extra or {})
    return {
        "report_id": report_id,
        "origin": origin,
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "cells": json.dumps(list(f.cells), ensure_ascii=False),
        "expected": f.expected,
        "actual": f.actual,
        "other_report_id": other_report_id,
        "extra": json.dumps(extra, ensure_ascii=False) if extra else None,
    }


def write_findings(conn: Connection, report_id: int, findings: list[Finding], origin: str) -> None:
    rows = [finding_row(report_id, f, origin) for f in findings]
    if rows:
        conn.execute(insert(S.findings), rows)


CELL_COLUMNS = ("report_id", "path", "value", "read_value", "raw", "line", "page")


def _cell_rows(report_id: int, report: Report, corrected: dict) -> list[tuple]:
    """The cells of a report as rows of :data:`CELL_COLUMNS` (``read_value``: the value as read
    where a person corrected it)."""
    rows = []
    prov = report.provenance
    for path, value in report.cells():
        p = prov.get(path)
        read = corrected[path]["read"] if path in corrected else value
        rows.append((report_id, path, value, read, p.raw if p else None, p.line if p else None, p.page if p else None))
    return rows


def insert_rows(conn: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows given as tuples, without building a dict per row: one ``executemany`` on
    SQLite, COPY on PostgreSQL (inside the caller's transaction either way)."""
    if not rows:
        return
    cols = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({cols}) VALUES ({', '.join('?' * len(columns))})", rows)


def report_values(report: Report) -> dict:
    m = report.meta
    return {
        "format": report.source.format,
        "status": "clean",
        "error_code": None,
        "error_message": None,
        "agency_raw": m.agency,
        "year": m.year,
        "template": m.template,
        "published": m.published,
        "title": m.title,
        "reader_version": nianbao.READER_VERSION,
        "model": report.model_dump_json(exclude={"findings"}),
        "reading": report.reading.status,
    }


def write_report(
    conn: Connection, sha: str, path: str, report: Report, report_id: int | None = None, origin: str = "check"
) -> int:
    """Insert (or, with ``report_id``, replace in place) a readable report with its cells and its
    own findings. Cross-year and corpus findings are refreshed by :mod:`relations`."""
    from .overrides import apply, latest

    fixes = latest(conn, report_id) if report_id is not None else {}
    shown = apply(report, fixes)  # the values in force: as read, or a person's latest correction
    values = report_values(shown)
    values["agency_id"] = assigned_to(conn, report_id) or agency_id(conn, report.meta.agency)  # a person's assignment stays
    if report_id is None:
        report_id = conn.execute(
            insert(S.reports)
            .values(sha256=sha, path=path, ingested_at=now(), n_errors=0, n_warnings=0, n_infos=0, **values)
            .returning(S.reports.c.id)
        ).scalar_one()
    else:
        conn.execute(update(S.reports).where(S.reports.c.id == report_id).values(ingested_at=now(), **values))
        conn.execute(delete(S.cells).where(S.cells.c.report_id == report_id))
        conn.execute(delete(S.findings).where(S.findings.c.report_id == report_id, S.findings.c.origin == origin))
    corrected = (shown.model_extra or {}).get("corrections") or {}
    insert_rows(conn, S.cells, CELL_COLUMNS, _cell_rows(report_id, shown, corrected))
    write_findings(conn, report_id, list(report.findings), origin)
    return report_id


def write_failure(
    conn: Connection, sha: str, path: str, error: dict, fmt: str | None = None, report_id: int | None = None
) -> int:
    """Record a file that could not be read: its error, no cells, no findings."""
    values = {
        "format": fmt,
        "status": "unreadable",
        "error_code": error.get("code", "error"),
        "error_message": error.get("message", ""),
        "agency_raw": None,
        "agency_id": None,
        "year": None,
        "template": None,
        "published": None,
        "title": None,
        "reader_version": nianbao.READER_VERSION,
        "model": None,
        "reading": None,
        "text_hash": None,
        "n_errors": 0,
        "n_warnings": 0,
        "n_infos": 0,
    }
    if report_id is None:
        return conn.execute(
            insert(S.reports).values(sha256=sha, path=path, ingested_at=now(), **values).returning(S.reports.c.id)
        ).scalar_one()
    conn.execute(update(S.reports).where(S.reports.c.id == report_id).values(ingested_at=now(), **values))
    conn.execute(delete(S.cells).where(S.cells.c.report_id == report_id))
    conn.execute(delete(S.findings).where(S.findings.c.report_id == report_id))
    return report_id


def refresh_counts(conn: Connection, report_ids) -> None:
    """Recompute the finding counts and status (clean / errors / unreadable) of some reports, in
    one statement, and bring their findings' review records in line (``review.sync``)."""
    from .review import sync

    sync(conn, report_ids)
    from sqlalchemy import case, func

    ids = sorted({i for i in report_ids if i is not None})
    if not ids:
        return
    f, r = S.findings, S.reports

    def n(sev: str):
        return (
            select(func.count()).select_from(f).where(f.c.report_id == r.c.id, f.c.severity == sev).scalar_subquery()
        )

    conn.execute(
        update(r)
        .where(r.c.id.in_(ids))
        .values(
            n_errors=n("error"),
            n_warnings=n("warning"),
            n_infos=n("info"),
            status=case(
                (r.c.error_code.is_not(None), "unreadable"),
                (n("error") > 0, "errors"),
                (r.c.reading == "partial", "partial"),  # spec §8: a half-read report is never clean
                else_="clean",
            ),
        )
    )
