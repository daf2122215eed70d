"""Writing one report (original, sources, agency, report row, cells, findings) inside the caller's
transaction. Nothing here commits: :mod:`nianbao.store.ingest` wraps each report in one
transaction, so an interrupted ingest never leaves a half-written report."""

from __future__ import annotations

import datetime as dt
import json
import time
import zlib
from dataclasses import dataclass, field

from pydantic import TypeAdapter
from sqlalchemy import Connection, delete, insert, select, update

import nianbao
from ..model import Finding, Report
from ..template import CellPath
from . import cellpack
from . import schema as S
from . import similarity as sim
from .agencies import place
from .agency_history import assigned_to
from .raw import raw


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


_STAMP: list = [None, None, None]  # (second, pg, stamp): the writer stamps many rows in one second


def stamp_now(r) -> object:
    """:func:`now` as :meth:`Raw.stamp` stores it, made once a second."""
    t = int(time.time())
    if _STAMP[0] != t or _STAMP[1] != r.pg:
        _STAMP[:] = [t, r.pg, r.stamp(now())]
    return _STAMP[2]


def pack(data: bytes) -> tuple[str, bytes]:
    """(compression, bytes) of an original as stored: zlib when that saves at least 10 %."""
    packed = zlib.compress(data, 6)
    return ("zlib", packed) if len(packed) < 0.9 * len(data) else ("none", data)


def store_original(conn: Connection, sha: str, data: bytes, packed: tuple[str, bytes] | None = None) -> None:
    """Keep a file's bytes once per sha256 (``packed``: :func:`pack` made already, in a worker)."""
    r = raw(conn)
    if packed is None:
        if r.first("SELECT 1 FROM originals WHERE sha256 = ?", (sha,)):
            return
        packed = pack(data)
    r.run("INSERT INTO originals (sha256, size, compression, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
          (sha, len(data), *packed))


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
    r = raw(conn)
    r.run("INSERT INTO sources (sha256, path, first_seen) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (sha, path, stamp_now(r)))


AGENCY_COLUMNS = ("key", "name", "kind", "placement", "region_code", "province", "city", "county", "township", "candidates")


def agency_row(name: str | None) -> tuple | None:
    """The agencies row a name designates (:data:`AGENCY_COLUMNS`), or None for no name."""
    if not name or not name.strip():
        return None
    d = place(name).row()
    return tuple(d[c] for c in AGENCY_COLUMNS)


def agency_id(conn: Connection, name: str | None, row: tuple | None = None) -> int | None:
    """The id of the agency a name designates, created when new (``row``: :func:`agency_row`
    made already, in a worker)."""
    row = row if row is not None else agency_row(name)
    if row is None:
        return None
    r = raw(conn)
    found = r.scalar("SELECT id FROM agencies WHERE key = ?", (row[0],))
    if found is not None:
        return found
    former = r.scalar("SELECT agency_id FROM agency_aliases WHERE key = ?", (row[0],))  # agency_history.alias_of:
    # a name merged away or renamed lands on its agency
    if former is not None:
        return former
    return r.insert_id("agencies", AGENCY_COLUMNS, row)


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


FINDING_COLUMNS = ("report_id", "origin", "rule", "severity", "message", "cells", "expected", "actual", "other_report_id", "extra")


def finding_tuple(report_id: int, f: Finding, origin: str, other_report_id: int | None = None) -> tuple:
    """:func:`finding_row` as a tuple of :data:`FINDING_COLUMNS`."""
    extra = f.model_extra
    return (report_id, origin, f.rule, f.severity, f.message, _JSON.encode(list(f.cells)),
            f.expected, f.actual, other_report_id, _JSON.encode(extra) if extra else None)


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(x, ensure_ascii=False), its encoder made once


INSERT_FINDING = f"INSERT INTO findings ({', '.join(FINDING_COLUMNS)}) VALUES ({', '.join('?' * len(FINDING_COLUMNS))})"


def insert_findings(conn: Connection, rows: list[tuple]) -> None:
    """Findings as tuples of :data:`FINDING_COLUMNS`, in one ``executemany``."""
    raw(conn).many(INSERT_FINDING, rows)


def write_findings(conn: Connection, report_id: int, findings: list[Finding], origin: str) -> None:
    insert_findings(conn, [finding_tuple(report_id, f, origin) for f in findings])


def _cells(report: Report, corrected: dict) -> list[tuple]:
    """The cells of a report as (path, value, raw, line, page, read_value) for :func:`cellpack.body`
    (``read_value``: the value as read where a person corrected it)."""
    return [(*c, corrected[c[0]]["read"] if c[0] in corrected else c[1]) for c in cell_tuples(report)]


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
        conn.execute(delete(S.findings).where(S.findings.c.report_id == report_id, S.findings.c.origin == origin))
    corrected = (shown.model_extra or {}).get("corrections") or {}
    cellpack.replace(conn, report_id, cellpack.body(_cells(shown, corrected)))
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
    cellpack.delete(conn, report_id)
    conn.execute(delete(S.findings).where(S.findings.c.report_id == report_id))
    return report_id


_COUNTS = (
    "UPDATE reports SET n_errors = ?, n_warnings = ?, n_infos = ?, status = CASE "
    "WHEN error_code IS NOT NULL THEN 'unreadable' WHEN ? > 0 THEN 'errors' "
    "WHEN reading = 'partial' THEN 'partial' ELSE 'clean' END WHERE id = ?"  # spec §8: a half-read report is never clean
)


def refresh_counts(conn: Connection, report_ids) -> None:
    """Recompute the finding counts and status (clean / errors / partial / unreadable) of some
    reports, and bring their findings' review records in line (``review.sync``, which counts the
    findings it reads)."""
    from .review import sync

    counts = sync(conn, report_ids)
    ids = sorted({i for i in report_ids if i is not None})
    rows = []
    for i in ids:
        n = counts.get(i, {})
        rows.append((n.get("error", 0), n.get("warning", 0), n.get("info", 0), n.get("error", 0), i))
    raw(conn).many(_COUNTS, rows)


# --------------------------------------------------------------------------- the batch writer's fast path


@dataclass
class Prepared:
    """What writing a new report needs that does not need the database, made where the file was
    read (a worker process): the stored model, the cells and findings as tuples, the agency row,
    the original packed, the source lines packed, the normalised text and its signature.

    Plain strings, numbers and bytes only: it crosses from a worker to the writer in a fraction of
    the time the :class:`~nianbao.model.Report` would (its ~200 cells' provenance objects made
    again by pickle cost the writer more than writing the report's rows)."""

    model: str  # the Report as JSON, findings left out
    pack: cellpack.Body  # the cells encoded for ``cell_packs`` (but their codes)
    agency: tuple | None  # :func:`agency_row`
    packed: tuple[str, bytes] | None  # :func:`pack` of the original (None: packed by the writer)
    lines: tuple[int, bytes] | None  # (pages, zlib JSON of the lines) for ``source_lines``
    signature: tuple[str, list[int]] | None  # :func:`similarity.text_signature`
    meta: tuple = (None,) * 7  # :data:`META_FIELDS` of the report
    findings: list[tuple] = field(default_factory=list)  # its own findings: FINDING_COLUMNS less report_id
    findings_json: str = "[]"  # the same findings as JSON (to make the Report again, :meth:`report`)
    text: str | None = None  # the normalised text the signature is made of (None: too short)
    path: str | None = None  # the report's ``source.path``
    bands: list | None = None  # :func:`similarity.bands` of the signature

    @property
    def agency_raw(self) -> str | None:
        return self.meta[1]

    @property
    def year(self) -> int | None:
        return self.meta[2]

    def report(self) -> Report:
        """The Report again (with its findings), for the writer's rarer paths."""
        report = Report.model_validate_json(self.model)
        report.findings = _FINDINGS.validate_json(self.findings_json)
        return report

    def lines_list(self) -> list | None:
        """The numbered lines again (:func:`pack_lines` undone)."""
        return None if self.lines is None else json.loads(zlib.decompress(self.lines[1]))


_FINDINGS = TypeAdapter(list[Finding])
META_FIELDS = ("format", "agency_raw", "year", "template", "published", "title", "reading")
_PATHS: dict[tuple[str, str, str], str] = {}  # each cell's path made once (the same few hundred)


def cell_tuples(report: Report) -> list[tuple]:
    """The cells of a report as (path, value, raw, line, page), tables in spec order."""
    out = []
    prov = report.provenance
    for key in ("active", "requests", "appeals"):
        table = getattr(report.tables, key)
        if not table:
            continue
        for row, cols in table.items():
            for col, value in cols.items():
                path = _PATHS.get((key, row, col))
                if path is None:
                    path = _PATHS[(key, row, col)] = str(CellPath(key, row, col))  # validated, kept as a plain str
                p = prov.get(path)
                out.append((path, value, p.raw, p.line, p.page) if p is not None else (path, value, None, None, None))
    return out


def pack_lines(lines: list | None) -> tuple[int, bytes] | None:
    """(pages, zlib JSON) of an original's numbered lines, as ``source.save_lines`` keeps them."""
    if lines is None:
        return None
    pages = max((ln[1] or 0 for ln in lines), default=0)  # a line: [line, page, text] or [line, page, text, extra]
    return pages, zlib.compress(json.dumps([list(ln) for ln in lines], ensure_ascii=False).encode("utf-8"), 6)


def prepare(report: Report, data: bytes | None = None, lines: list | None = None) -> Prepared:
    """:class:`Prepared` of a checked report (``data``: its original, packed here when given)."""
    m = report.meta
    text = sim.normalised_text(report)
    signature = sim.signature_of_text(text)
    findings = list(report.findings)
    return Prepared(
        model=report.model_dump_json(exclude={"findings"}),
        pack=cellpack.body(cell_tuples(report)),
        agency=agency_row(m.agency),
        packed=pack(data) if data is not None else None,
        lines=pack_lines(lines),
        signature=signature,
        meta=(report.source.format, m.agency, m.year, m.template, m.published, m.title, report.reading.status),
        findings=[finding_tuple(0, f, "check")[1:] for f in findings],
        findings_json=_FINDINGS.dump_json(findings).decode("utf-8") if findings else "[]",
        text=text if signature is not None else None,
        path=report.source.path,
        bands=sim.bands(signature[1]) if signature is not None else None,
    )


REPORT_COLUMNS = (
    "sha256", "path", "ingested_at", "n_errors", "n_warnings", "n_infos", "format", "status", "error_code",
    "error_message", "agency_raw", "agency_id", "year", "template", "published", "title", "reader_version",
    "model", "reading", "text_hash",
)


def write_new(conn: Connection, sha: str, path: str, data: bytes, prep: Prepared) -> int:
    """Insert a report not stored before (no id, so no correction to apply) from its
    :class:`Prepared`: original, source path, agency, report row, cells, its own findings, source
    lines. The same rows as :func:`write_report`, in plain statements. Returns its id."""
    r = raw(conn)
    store_original(conn, sha, data, prep.packed)
    add_source(conn, sha, path)
    fmt, agency, year, template, published, title, reading = prep.meta
    aid = agency_id(conn, agency, prep.agency)
    rid = r.insert_id("reports", REPORT_COLUMNS, (
        sha, path, stamp_now(r), 0, 0, 0, fmt, "clean", None, None, agency, aid, year,
        template, published, title, nianbao.READER_VERSION, prep.model, reading,
        prep.signature[0] if prep.signature else None,
    ))
    cellpack.insert(conn, rid, prep.pack)
    insert_findings(conn, [(rid, *f) for f in prep.findings])
    if prep.lines is not None:
        r.run("INSERT INTO source_lines (report_id, format, pages, data) VALUES (?, ?, ?, ?)", (rid, fmt, *prep.lines))
    return rid
