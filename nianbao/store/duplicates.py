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

from sqlalchemy import Connection, delete, event, select, update

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


def copies_of(conn: Connection, shas: list[str]) -> dict[str, int]:
    """:func:`copy_of` of many files at once: sha256 → report, for those joined as copies."""
    return dict(raw(conn).chunked("SELECT sha256, report_id FROM report_copies WHERE sha256 IN ({ids})", shas))


def _same_agency(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


DUPLICATE_HITS = 200  # reports looked at per band for a copy of the same report
_FIND_QUERIES: dict[int, str] = {}


def _find_query(n_bands: int) -> str:
    """The reports of the same year and agency (one name containing the other, at 4 characters or
    more) among the most recent :data:`DUPLICATE_HITS` sharing each band: one statement (the
    search as it was made before :func:`find_text`; kept to compare with it)."""
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
    normalised text (as a worker prepares them: no Report needed).

    The candidates are the readable reports of the same year whose agency is the same
    (:func:`_same_agency`) that share a band with this reading among the :data:`DUPLICATE_HITS`
    most recent reports sharing that band; the first (by id) whose text is the same or
    near-identical is the one. They are looked up by agency (the agencies whose key is related to
    this one come from :class:`AgencyIndex`, then their reports of the year through
    ``reports(agency_id, year)``), so the search costs the same however many reports share a band
    (a text template copied by thousands of offices): the same decisions as :func:`find_by_bands`."""
    r = raw(conn)
    agencies = AgencyIndex.of(conn).related(r, key)
    if not agencies:
        return None
    rows = []
    for i in range(0, len(agencies), 500):
        part = agencies[i : i + 500]
        rows += r.all(
            "SELECT r.id, r.sha256, r.text_hash, a.key FROM reports r JOIN agencies a ON a.id = r.agency_id "
            f"WHERE r.agency_id IN ({r.in_list(len(part))}) AND r.year = ? AND r.status != 'unreadable'",
            [*part, year])
    rows = sorted(row for row in rows if row[1] != exclude_sha and _same_agency(key, row[3]))
    if not rows:
        return None
    bands = sim.bands_of(signature)
    shared = _shared_bands(r, bands, [row[0] for row in rows])
    floor: dict[int, int | None] = {}  # a band's DUPLICATE_HITS-th most recent report (None: fewer share it)

    def in_hits(rid: int) -> bool:  # among the DUPLICATE_HITS most recent of a band it shares
        for i in shared[rid]:
            if i not in floor:  # read once per band, whatever the number of candidates sharing it
                floor[i] = r.scalar("SELECT report_id FROM text_bands WHERE band = ? AND value = ? "
                                    "ORDER BY report_id DESC LIMIT 1 OFFSET ?", (*bands[i], DUPLICATE_HITS - 1))
            if floor[i] is None or rid >= floor[i]:  # fewer than DUPLICATE_HITS reports more recent
                return True
        return False

    for rid, _, other_hash, _ in (row for row in rows if row[0] in shared):
        # the text first when it costs nothing (the same digest, or a text kept in memory), the
        # bands first otherwise: the first candidate passing both, as _first_copy decides
        if other_hash == signature[0]:
            same = True
        else:
            kept = sim.TEXTS.get(other_hash)
            same = None if kept is None else (text is not None and sim.near_identical_text(text, kept) is not None)
        if same is False or not in_hits(rid):
            continue
        if same is None:
            other = relations.stored_text(r, rid, other_hash)
            if text is None or other is None or sim.near_identical_text(text, other) is None:
                continue
        return rid
    return None


def find_by_bands(
    conn: Connection, year: int, key: str, signature: tuple[str, list[int]], text: str | None,
    exclude_sha: str | None = None,
) -> int | None:
    """:func:`find_text` as it was made before: the :data:`DUPLICATE_HITS` most recent reports of
    each band joined to their agencies, then filtered (costs more as more reports share a band;
    kept to check that both decide the same)."""
    bands = sim.bands_of(signature)
    params = [x for b, v in bands for x in (b, v, DUPLICATE_HITS)] + [year, key, len(key) >= 4, key, key]
    r = raw(conn)
    rows = [row for row in r.all(_find_query(len(bands)), params) if row[1] != exclude_sha and _same_agency(key, row[3])]
    return _first_copy(r, rows, signature[0], text)


def _first_copy(r, rows: list, text_hash: str, text: str | None) -> int | None:
    """The first candidate (id, sha256, text_hash, key), in id order, whose text is the same or
    near-identical."""
    for rid, _, other_hash, _ in rows:
        if other_hash == text_hash:
            return rid
        other = relations.stored_text(r, rid, other_hash)
        if text is not None and other is not None and sim.near_identical_text(text, other) is not None:
            return rid
    return None


def _shared_bands(r, bands: list[tuple[int, int]], ids: list[int]) -> dict[int, list[int]]:
    """Which of ``bands`` (their positions) each of ``ids`` shares: one statement."""
    if not bands or not ids:
        return {}
    marks = r.in_list(len(ids))
    q = " UNION ALL ".join(
        f"SELECT {i}, report_id FROM text_bands WHERE band = ? AND value = ? AND report_id IN ({marks})"
        for i in range(len(bands)))
    out: dict[int, list[int]] = {}
    for i, rid in r.all(q, [x for b, v in bands for x in (b, v, *ids)]):
        out.setdefault(rid, []).append(i)
    return out


_INDEX = "nianbao_agency_index"


def _forget_index(conn: Connection) -> None:
    try:
        conn.connection.info.pop(_INDEX, None)
    except Exception:  # noqa: BLE001  a connection closed or lost: its index goes with it
        pass


class AgencyIndex:
    """The agencies' keys of a database, kept in this process to find the agencies related to a
    key (:func:`_same_agency`: the same key, or one containing the other at 4 characters or more)
    without reading every agency: a key's substrings are looked up, and the keys containing it
    are those holding all its 4-character pieces.

    Kept per database connection and brought up to date at every use: the agencies added since
    (ids above the last one seen) are read; when anything else changed (fewer agencies than
    known, i.e. a merge; agencies committed out of id order; an agency renamed, which
    ``agency_history`` records in ``audit_events``) it is read again whole; a rolled-back
    transaction of the connection drops it (the ids it saw may be given again to other keys)."""

    GRAM = 4

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}
        self.by_key: dict[str, int] = {}
        self.grams: dict[str, set[int]] = {}
        self.last = 0  # the highest agency id read
        self.audit = None  # the highest audit_events id when read
        self.found: dict[str, list[int]] = {}  # related(key), until an agency is added
        self.tx = None  # the connection's transaction at this use (of)
        self.checked = None  # the SQLite transaction in which it was last found whole

    @classmethod
    def of(cls, conn: Connection) -> AgencyIndex:
        info = conn.connection.info
        index = info.get(_INDEX)
        if index is None:
            if not event.contains(conn.engine, "rollback", _forget_index):
                event.listen(conn.engine, "rollback", _forget_index)
            index = info[_INDEX] = cls()
        dbapi = conn.connection.driver_connection
        # a SQLite transaction under way sees no other connection's changes: once found whole in
        # it, only the agencies it adds itself are new (no count of all the agencies at each use)
        index.tx = conn.get_transaction() if conn.dialect.name == "sqlite" and getattr(dbapi, "in_transaction", False) else None
        return index

    def _add(self, agency_id: int, key: str) -> None:
        self.found.clear()
        self.keys[agency_id] = key
        self.by_key[key] = agency_id
        g = self.GRAM
        for piece in {key[i : i + g] for i in range(len(key) - g + 1)}:
            self.grams.setdefault(piece, set()).add(agency_id)

    def refresh(self, r) -> None:
        tx = self.tx
        if tx is not None and tx is self.checked:
            top, audit = r.first("SELECT (SELECT max(id) FROM agencies), (SELECT max(id) FROM audit_events)")
            count = None
        else:
            top, count, audit = r.first(
                "SELECT (SELECT max(id) FROM agencies), (SELECT count(*) FROM agencies), (SELECT max(id) FROM audit_events)")
        top = top or 0
        if audit == self.audit and top >= self.last:
            if top > self.last:
                for agency_id, key in r.all("SELECT id, key FROM agencies WHERE id > ?", (self.last,)):
                    self._add(agency_id, key)
                self.last = top
            if count is None or count == len(self.keys):
                self.checked = tx
                return
        self.__init__()
        self.tx = tx
        for agency_id, key in r.all("SELECT id, key FROM agencies"):
            self._add(agency_id, key)
        self.last, self.audit, self.checked = max(self.keys, default=0), audit, tx

    def related(self, r, key: str) -> list[int]:
        """The ids of the agencies whose key is :func:`_same_agency` as ``key`` (perhaps a few
        more, which the caller's own test leaves out)."""
        self.refresh(r)
        known = self.found.get(key)
        if known is None:
            known = self.found[key] = self._related(key)
        return known

    def _related(self, key: str) -> list[int]:
        found = set()
        if key in self.by_key:
            found.add(self.by_key[key])
        g, n = self.GRAM, len(key)
        if n >= g:
            for size in range(g, n):  # keys contained in this one
                for i in range(n - size + 1):
                    other = self.by_key.get(key[i : i + size])
                    if other is not None:
                        found.add(other)
            pieces = sorted((self.grams.get(key[i : i + g], set()) for i in range(n - g + 1)), key=len)
            for agency_id in set.intersection(*pieces) if pieces else ():  # keys containing this one
                if key in self.keys[agency_id]:
                    found.add(agency_id)
        return sorted(found)


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


__all__ = ["placed", "copy_of", "find", "find_text", "find_by_bands", "join", "join_in", "copies"]
