"""One report, one record (spec §7 ``duplicate``): the same report stored from another file, format
or encoding (same agency and year, near-identical text) joins the stored report as one more source
of it (``report_copies``) instead of becoming a second record; the reading with the most cells placed
is the one kept (a better-read copy replaces a worse one in place: same report id, corrections and
reviews kept).

Candidates come from the copied-text bands (``text_bands``, see :mod:`similarity`) of reports of
the same year; a candidate is the same report when its agency is the same (one name may carry a
reader's stray prefix, so one normalised name containing the other counts) and its text is
near-identical.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select, update

from ..model import Report
from . import relations
from . import schema as S
from . import similarity as sim
from .agencies import place
from .db import Store
from .raw import raw
from .source import save_lines
from .write import add_source, insert_ignore, now, refresh_counts, store_original, write_report


def placed(report: Report) -> int:
    """How many of a reading's cells were placed (read, or seen printed blank)."""
    unread = set(report.reading.unread)
    return sum(1 for p, _ in report.cells() if p not in unread)


def copy_of(conn: Connection, sha: str) -> int | None:
    """The report a file was joined to as a copy, if it was."""
    return raw(conn).scalar("SELECT report_id FROM report_copies WHERE sha256 = ?", (sha,))


def _same_agency(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


DUPLICATE_HITS = 200  # reports looked at per band for a copy of the same report
_FIND_QUERIES: dict[int, str] = {}


def _find_query(n_bands: int) -> str:
    """The reports of the same year and agency (one name containing the other, at 4 characters or
    more) among the most recent :data:`DUPLICATE_HITS` sharing each band: one statement."""
    q = _FIND_QUERIES.get(n_bands)
    if q is None:
        part = "SELECT * FROM (SELECT report_id FROM text_bands WHERE band = ? AND value = ? ORDER BY report_id DESC LIMIT ?) AS t{i}"
        hits = " UNION ALL ".join(part.format(i=i) for i in range(n_bands))
        q = _FIND_QUERIES[n_bands] = (
            "SELECT DISTINCT r.id, r.sha256, r.text_hash, a.key FROM (" + hits + ") AS h "
            "JOIN reports r ON r.id = h.report_id JOIN agencies a ON a.id = r.agency_id "
            "WHERE r.year = ? AND r.status != 'unreadable' AND (a.key = CAST(? AS TEXT) OR (length(a.key) >= 4 "
            "AND ? AND (a.key LIKE '%' || CAST(? AS TEXT) || '%' OR CAST(? AS TEXT) LIKE '%' || a.key || '%'))) "
            "ORDER BY r.id"
        )  # LIKE only narrows (its wildcards may let more through): _same_agency decides
    return q


def find(
    conn: Connection, report: Report, exclude_sha: str | None = None,
    signature: tuple[str, list[int]] | None = None, key: str | None = None,
) -> int | None:
    """The stored report this reading is a copy of, or None (``signature`` and ``key``: the
    reading's text signature and its agency's key, when made already)."""
    if report.meta.year is None or not report.meta.agency:
        return None
    sig = signature if signature is not None else sim.text_signature(report)
    if sig is None:
        return None
    key = key if key is not None else place(report.meta.agency).key
    return find_text(conn, report.meta.year, key, sig, sim.normalised_text(report), exclude_sha)


def find_text(
    conn: Connection, year: int, key: str, signature: tuple[str, list[int]], text: str | None,
    exclude_sha: str | None = None,
) -> int | None:
    """:func:`find` of a reading given by its year, its agency's key, its text signature and its
    normalised text (as a worker prepares them: no Report needed)."""
    bands = sim.bands(signature[1])
    params = [x for b, v in bands for x in (b, v, DUPLICATE_HITS)] + [year, key, len(key) >= 4, key, key]
    r = raw(conn)
    for rid, sha, text_hash, other_key in r.all(_find_query(len(bands)), params):
        if sha == exclude_sha or not _same_agency(key, other_key):
            continue
        if text_hash == signature[0]:
            return rid
        other = relations.stored_text(r, rid, text_hash)
        if text is not None and other is not None and sim.near_identical_text(text, other) is not None:
            return rid
    return None


def join(
    store: Store, sha: str, path: str, data: bytes, report: Report, report_id: int, pair, copied,
    lines: list | None = None, fmt: str | None = None,
) -> bool:
    """Keep a file as one more source of ``report_id``; when its reading places more cells than the
    stored one, it becomes the report's reading (and its original the report's first file).
    ``pair`` and ``copied`` are the checker's cross-year and copied-text rules (``ingest.Checks``);
    ``lines`` the original's numbered lines, kept for the source view when the copy is used.
    Returns whether it replaced the stored reading. One transaction."""
    with store.engine.begin() as conn:
        replaced, touched = join_in(conn, sha, path, data, report, report_id, pair, copied, lines, fmt)
        refresh_counts(conn, touched)
    return replaced


def join_in(
    conn: Connection, sha: str, path: str, data: bytes, report: Report, report_id: int, pair, copied,
    lines: list | None = None, fmt: str | None = None,
) -> tuple[bool, set[int]]:
    """:func:`join` inside the caller's transaction: (replaced, report ids whose finding counts the
    caller refreshes with ``refresh_counts``)."""
    store_original(conn, sha, data)
    add_source(conn, sha, path)
    row = conn.execute(select(S.reports.c.sha256).where(S.reports.c.id == report_id)).first()
    current = relations.load_model(conn, report_id)
    better = current is None or placed(report) > placed(current)
    if not better:
        insert_ignore(conn, S.report_copies, {"sha256": sha, "report_id": report_id, "joined_at": now()})
        return False, set()
    conn.execute(delete(S.report_copies).where(S.report_copies.c.sha256 == sha))
    insert_ignore(conn, S.report_copies, {"sha256": row.sha256, "report_id": report_id, "joined_at": now()})
    conn.execute(update(S.reports).where(S.reports.c.id == report_id).values(sha256=sha, path=path))
    write_report(conn, sha, path, report, report_id)
    save_lines(conn, report_id, fmt, lines)
    touched = relations.refresh_cross_year(conn, report_id, pair, report)
    touched |= relations.refresh_similarity(conn, report_id, report, copied)
    return True, touched


def copies(conn: Connection, report_id: int) -> list[str]:
    """The sha256 of the files joined to a report as copies."""
    return list(conn.execute(
        select(S.report_copies.c.sha256).where(S.report_copies.c.report_id == report_id).order_by(S.report_copies.c.joined_at)
    ).scalars())


__all__ = ["placed", "copy_of", "find", "join", "join_in", "copies"]
