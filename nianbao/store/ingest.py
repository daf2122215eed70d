"""``nianbao ingest`` and ``nianbao reparse``: the writing side of reading files into the corpus.

Reading and checking (pure, CPU-bound) are the pipeline's (:mod:`nianbao.pipeline`, which calls
these functions with its :class:`Checks`); they run in a process pool, which also makes each
report's text signature. One writer (this process) writes the reports in batches: one transaction
per batch, one savepoint per report (original, source path, agency, report, cells, findings, and
the cross-year and copied-text findings it takes part in), so a report is written whole or not at
all. Results come back in input order, once committed. This module imports neither the reader nor
the checker.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import sys
import time
from collections import deque
from contextlib import contextmanager
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from sqlalchemy import Connection, select

import nianbao
from ..errors import NianbaoError
from ..limits import LimitedPool
from ..model import Finding, Report
from . import duplicates, relations
from .pairs_ahead import PairsAhead
from . import schema as S
from . import similarity as sim
from .db import Checkpoints, Store
from .inputs import Input
from .raw import errors, raw
from .source import save_lines
from .overrides import reread
from .write import (
    Prepared, add_source, load_original, prepare, refresh_counts, store_original, write_failure, write_new, write_report,
)

# Errors that may go away on another run (a converter installed, a bug fixed): retried on re-ingest.
RETRY_CODES = {"ocr_unavailable", "converter_unavailable", "internal_error"}
STATUSES = ("new", "unchanged", "reparsed", "duplicate", "failed")


@dataclass
class IngestResult:
    """The outcome for one input file (the line ``nianbao ingest --json`` prints)."""

    path: str
    sha256: str | None
    status: str  # new | unchanged | reparsed | duplicate | failed
    report_id: int | None = None
    error: dict | None = None
    agency: str | None = None
    year: int | None = None
    findings: dict = field(default_factory=dict)  # severity → count, for summaries

    def to_json(self) -> dict:
        out = {"path": self.path, "sha256": self.sha256, "status": self.status, "report_id": self.report_id}
        if self.error is not None:
            out["error"] = self.error
        return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Parsed:
    """One file as the pipeline gives it to the store: a checked report, or its error.

    :param lines: the original's numbered lines [(line, page, text)], for the source view.
    :param signature: (text digest, MinHash signature), made where the file was read.
    :param prepared: what writing it new needs (:class:`~nianbao.store.write.Prepared`), made where
        the file was read. When there is one, a Parsed sent from a worker process leaves its report
        and lines behind (they are in ``prepared`` as JSON): they are made again only if the writer
        asks for them (a copy to join, a correction to apply again), never for a report written new.
    """

    __slots__ = ("_report", "error", "format", "_lines", "signature", "prepared")

    def __init__(self, report: Report | None, error: dict | None, format: str | None = None,
                 lines: list | None = None, signature: tuple | None = None, prepared: Prepared | None = None) -> None:
        self._report, self.error, self.format = report, error, format
        self._lines, self.signature, self.prepared = lines, signature, prepared

    @property
    def readable(self) -> bool:
        """A report was read (without making it again when it travelled as JSON)."""
        return self._report is not None or (self.prepared is not None and self.error is None)

    @property
    def report(self) -> Report | None:
        if self._report is None and self.prepared is not None and self.error is None:
            self._report = self.prepared.report()
        return self._report

    @report.setter
    def report(self, value: Report | None) -> None:
        self._report = value

    @property
    def lines(self) -> list | None:
        if self._lines is None and self.prepared is not None:
            self._lines = self.prepared.lines_list()
        return self._lines

    @lines.setter
    def lines(self, value: list | None) -> None:
        self._lines = value

    def pair_model(self) -> Report | str:
        """The report for a cross-year pair check: the Report when at hand, else its JSON."""
        return self._report if self._report is not None or self.prepared is None else self.prepared.model

    def __getstate__(self) -> tuple:
        lean = self.prepared is not None and self.error is None
        return (None if lean else self._report, self.error, self.format,
                None if lean and self.prepared.lines is not None else self._lines, self.signature, self.prepared)

    def __setstate__(self, state: tuple) -> None:
        self._report, self.error, self.format, self._lines, self.signature, self.prepared = state


@dataclass(frozen=True)
class Checks:
    """What the pipeline hands the store (the store imports neither the reader nor the checker).

    :param file: read and check one file's bytes (runs in worker processes: a top-level function).
    :param pair: the cross-year findings of a later report against the same agency's earlier one.
    :param report: the findings of one report (``add_report(check=True)``).
    :param copied: the finding of a report whose text copies another agency's (who, ratio 0–100).
    """

    file: Callable[[bytes, str], Parsed]
    pair: Callable[[Report, Report], list[Finding]]
    report: Callable[[Report], list[Finding]]
    copied: Callable[[str, float], Finding]


@dataclass
class Stored:
    """A report as :func:`_existing` finds it."""

    id: int
    reader_version: int
    status: str
    error_code: str | None
    error_message: str | None
    agency_raw: str | None
    year: int | None


_STORED = "id, reader_version, status, error_code, error_message, agency_raw, year"  # the fields of Stored
_EXISTING = f"SELECT {_STORED} FROM reports WHERE "


def _existing(conn: Connection, sha: str) -> Stored | None:
    """The report a file was stored as, or joined to as a copy (``duplicates``)."""
    r = raw(conn)
    row = r.first(_EXISTING + "sha256 = ?", (sha,))
    if row is None:
        joined = duplicates.copy_of(conn, sha)
        row = r.first(_EXISTING + "id = ?", (joined,)) if joined is not None else None
    return Stored(*row) if row is not None else None


def _existing_many(conn: Connection, shas: list[str]) -> dict[str, Stored]:
    """:func:`_existing` of many files at once (a few statements for a batch)."""
    r = raw(conn)
    found = {row[-1]: Stored(*row[:-1]) for row in r.chunked(
        f"SELECT {_STORED}, sha256 FROM reports WHERE sha256 IN ({{ids}})", shas)}
    joined = duplicates.copies_of(conn, [sha for sha in shas if sha not in found])
    if joined:
        rows = {row[0]: Stored(*row) for row in r.chunked(_EXISTING + "id IN ({ids})", sorted(set(joined.values())))}
        found.update((sha, rows[rid]) for sha, rid in joined.items() if rid in rows)
    return found


def _up_to_date(row) -> bool:
    return row.reader_version == nianbao.READER_VERSION and row.error_code not in RETRY_CODES


def write_parsed(
    store: Store, sha: str, path: str, data: bytes, parsed: Parsed, report_id: int | None, checks: Checks
) -> int:
    """Write one parsed (or failed) file in one transaction; returns the report id.

    Another process writing the same file or agency at the same moment makes the transaction fail
    on a unique key; it is then retried (and finds the other's rows)."""
    for attempt in range(3):
        try:
            with store.writer.begin() as conn:
                integrity, _ = errors(conn)
                rid, touched = _write_in(conn, sha, path, data, parsed, report_id, checks)
                refresh_counts(conn, touched)
            return rid
        except integrity:
            if attempt == 2:
                raise
            report_id = None
    raise AssertionError("unreachable")


def _write_in(
    conn: Connection, sha: str, path: str, data: bytes, parsed: Parsed, report_id: int | None, checks: Checks
) -> tuple[int, set[int]]:
    """Write one parsed (or failed) file inside the caller's transaction: (report id, ids whose
    finding counts are to be refreshed)."""
    store_original(conn, sha, data)
    add_source(conn, sha, path)
    if report_id is None:
        row = _existing(conn, sha)
        report_id = row.id if row else None
    fresh = report_id is None
    if parsed.report is None:
        rid = write_failure(conn, sha, path, parsed.error or {}, parsed.format, report_id)
        save_lines(conn, rid, parsed.format, None)
        touched = relations.refresh_cross_year(conn, rid, checks.pair, fresh=fresh)
        touched |= relations.refresh_similarity(conn, rid, None, checks.copied, fresh=fresh)
    else:
        rid = write_report(conn, sha, path, parsed.report, report_id)
        save_lines(conn, rid, parsed.format, parsed.lines)
        touched = relations.refresh_cross_year(conn, rid, checks.pair, parsed.report, fresh=fresh)
        touched |= relations.refresh_similarity(conn, rid, parsed.report, checks.copied, fresh=fresh)
    return rid, touched


def _result(path: str, sha: str, status: str, rid: int, parsed: Parsed | None, store: Store) -> IngestResult:
    r = IngestResult(path, sha, status, rid)
    if parsed is not None and not parsed.readable:
        r.status, r.error = "failed", parsed.error
    elif parsed is not None and parsed.prepared is not None:
        r.agency, r.year = parsed.prepared.agency_raw, parsed.prepared.year
    elif parsed is not None:
        r.agency, r.year = parsed.report.meta.agency, parsed.report.meta.year
    return r


@dataclass
class _Job:
    input: Input
    data: bytes | None = None
    sha: str | None = None
    status: str | None = None  # "new" | "reparsed" when parsed; final status otherwise
    report_id: int | None = None
    future: Future | Parsed | None = None
    result: IngestResult | None = None
    note_source: bool = False  # a stored file met again: its path is added to its sources
    retried: bool = False  # a unique key was taken meanwhile by another process: written the careful way
    deferred: tuple | None = None  # (report id, report) written new: its cross-year pairs made with the batch's


def read_file(check_file: Callable[[bytes, str], Parsed], data: bytes, path: str) -> Parsed:
    """What a worker process does for one file: read and check it (``Checks.file``), then make
    its text signature, so the writer has only to write."""
    parsed = check_file(data, path)
    if parsed.report is not None:
        try:
            parsed.prepared = prepare(parsed.report, data, parsed.lines)
            parsed.signature = parsed.prepared.signature
        except Exception:  # made again by the writer, which reports what goes wrong
            parsed.prepared = parsed.signature = None
    return parsed


_GC = {"writers": 0, "threshold": None, "froze": False}
_GC_LOCK = threading.Lock()
WRITER_GC_GEN0 = 20_000  # allocations between the collector's youngest collections while writing (Python's: 700)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while the writer writes.

    The writer makes and drops many small objects per report (rows, findings, parsed JSON) that
    reference counting frees, while it holds many that live on (readings waiting to be written,
    cached texts): every 700 allocations Python's collector walks the young ones, and every few
    of those walks the whole heap. Measured on the batch writer: ~10 % of its time. Collections
    still happen, 30× less often, and the objects there before the writer began (modules, caches,
    the readings waiting) are kept out of the full ones (``gc.freeze``, unless something else of the
    process froze objects already); all is put back when the last writer of the process ends."""
    with _GC_LOCK:
        if _GC["writers"] == 0:
            _GC["threshold"] = gc.get_threshold()
            old = _GC["threshold"]
            gc.set_threshold(max(old[0], WRITER_GC_GEN0), *old[1:])
            _GC["froze"] = gc.get_freeze_count() == 0
            if _GC["froze"]:
                gc.freeze()
        _GC["writers"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC["writers"] -= 1
            if _GC["writers"] == 0:
                gc.set_threshold(*_GC["threshold"])
                if _GC["froze"]:
                    gc.unfreeze()


def _pool(workers: int) -> LimitedPool | None:
    # worker processes under the time limit: a reading that hangs (inside a C library too) is
    # stopped and its worker replaced; workers ignore Ctrl-C, the writer's to handle (nianbao.limits)
    return LimitedPool(workers, ahead=True) if workers > 1 else None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


BATCH = 64  # reports written in one transaction at most (each in its own savepoint)
MIN_BATCH = 32  # reports a batch waits for while workers read (fewer at the end of the inputs)
FLUSH_SECONDS = 2.0  # ... or fewer, once this long has passed since the last commit (slow files)
WINDOW_BYTES = 256 * 2**20  # files held (read, waiting to be written) at most, besides their number


def ingest_inputs(
    store: Store,
    inputs: Iterable[Input],
    checks: Checks,
    *,
    workers: int | None = None,
    force: bool = False,
    engine=None,
) -> Iterator[IngestResult]:
    """Ingest inputs, yielding one result per input in input order (``checks``: the pipeline's).

    Reading, checking and text signatures happen in the worker processes; this process writes
    the reports that are ready, up to :data:`BATCH` at a time, in one transaction where each
    report has its own savepoint: a report that cannot be written is rolled back alone (and
    reported ``failed``), and an interrupted run leaves whole reports only. A result is yielded
    once its transaction is committed.

    :param workers: parsing processes (default: the CPU count, at most 8); 1 parses in-process.
    :param force: re-read even files already stored by this reader version (status ``reparsed``).
    :param engine: where to read instead of a local pool: anything with ``submit`` (a Dask
        ``distributed.Client``, see :mod:`nianbao.store.engines`); it is not shut down here.
    """
    with fewer_collections():
        yield from _ingest_inputs(store, inputs, checks, workers, force, engine)


def _ingest_inputs(store: Store, inputs: Iterable[Input], checks: Checks, workers, force, engine) -> Iterator[IngestResult]:
    workers = default_workers() if workers is None else max(1, workers)
    local = engine is None and workers == 1  # read in this process, in batches
    # files in flight: enough for the workers to go on reading while a batch is written (a batch's
    # commit and refresh cost the same for 1 report or 60), few enough, with WINDOW_BYTES, to bound
    # the memory of the files (and readings) held at once
    window = BATCH if local else (max(4 * BATCH, workers * 32) if engine is None else 2 * BATCH)
    held = 0  # bytes of the files in ``pending``
    last = time.monotonic()  # the last commit
    pool = engine
    pending: deque[_Job] = deque()
    in_batch: dict[str, int | None] = {}  # sha → first job's report id (None until written)
    # with worker processes, one more checks each batch's likely cross-year pairs while it is written
    ahead = PairsAhead(checks.pair) if engine is None and not local else None
    cp = Checkpoints.start(store)
    try:
        for inp in inputs:
            job = _Job(inp)
            try:
                job.data = inp.read()
            except NianbaoError as e:
                job.result = IngestResult(inp.path, None, "failed", None, {"code": e.code, "message": e.message})
            if job.result is None:
                job.sha = sha256(job.data)
                if job.sha in in_batch:
                    job.status = "duplicate"
                else:
                    in_batch[job.sha] = None
                    with store.engine.connect() as conn:
                        row = _existing(conn, job.sha)
                    if row is not None and _up_to_date(row) and not force:
                        job.note_source = True
                        err = {"code": row.error_code, "message": row.error_message} if row.error_code else None
                        # stored as unreadable: failed again, with its error (spec §7)
                        job.result = IngestResult(inp.path, job.sha, "failed" if err else "unchanged", row.id, err,
                                                  row.agency_raw, row.year)
                    else:
                        job.status = "reparsed" if row is not None else "new"
                        job.report_id = row.id if row is not None else None
                        if pool is None and not local:
                            pool = _pool(workers)
                        if pool is not None:
                            try:
                                job.future = pool.submit(read_file, checks.file, job.data, inp.path, pure=False) if engine \
                                    else pool.submit(read_file, checks.file, job.data, inp.path, path=inp.path)
                            except BrokenProcessPool:  # a worker died (e.g. a crash in a C library)
                                pool.shutdown(wait=False, cancel_futures=True)
                                pool = _pool(workers)
                                job.future = pool.submit(read_file, checks.file, job.data, inp.path, path=inp.path)
                        else:
                            job.future = None  # parsed when its batch is written
            pending.append(job)
            held += len(job.data or b"")
            while (full := len(pending) > window or held > WINDOW_BYTES) or (not local and _due(pending, last)):
                # the window full (it bounds the files held in memory): the next MIN_BATCH waited for
                batch = _take(pending, local, MIN_BATCH if full else 1)
                held -= sum(len(j.data or b"") for j in batch)
                yield from _write_batch(store, batch, in_batch, checks, cp, ahead)
                last = time.monotonic()
        while pending:  # every file submitted: the rest in batches halving down to 1 (see _drain)
            yield from _write_batch(store, _take(pending, local, _drain(len(pending), local)), in_batch, checks, cp, ahead)
    finally:
        if cp is not None:
            cp.close()
        if ahead is not None:
            ahead.close()
        if pool is not None and engine is None:
            pool.shutdown(wait=True, cancel_futures=True)


def _take(pending: deque, local: bool, at_least: int = 1) -> list[_Job]:
    """The next batch: the first ``at_least`` jobs (waited for), then those behind them that are ready."""
    batch = [pending.popleft()]
    while pending and len(batch) < BATCH and (local or len(batch) < at_least or _ready(pending[0])):
        batch.append(pending.popleft())
    return batch


def _drain(left: int, local: bool) -> int:
    """How many jobs a batch waits for once every file is submitted: MIN_BATCH while many are
    left, then half of those left, so that the last batches are small and what is written after
    the workers' last file (while they idle) is a few reports, not up to :data:`BATCH`."""
    return MIN_BATCH if local else max(1, min(MIN_BATCH, left // 2))


def _due(pending: deque, last: float) -> bool:
    """A batch is to be written: MIN_BATCH jobs ready at the head, or some and FLUSH_SECONDS gone
    since the last commit (a commit costs about the same for 1 report as for 60, so batches are
    kept large while the workers read fast, and results still come when they read slowly)."""
    n = _ready_prefix(pending)
    return n >= MIN_BATCH or (n > 0 and time.monotonic() - last >= FLUSH_SECONDS)


def _ready_prefix(pending: deque) -> int:
    """How many jobs at the head are ready (counted up to MIN_BATCH)."""
    n = 0
    for job in pending:
        if n >= MIN_BATCH or not _ready(job):
            break
        n += 1
    return n


def _ready(job: _Job) -> bool:
    return job.result is not None or job.status == "duplicate" or (job.future is not None and job.future.done())


def _parsed(job: _Job, checks: Checks) -> Parsed | None:
    """A job's reading: from its worker (waited for), or made here."""
    if job.result is not None or job.status == "duplicate":
        return None
    path = job.input.path
    if job.future is not None:
        try:
            parsed = job.future.result()
        except NianbaoError as e:  # the time limit: the worker was stopped
            message = e.message if path in e.message else f"{path}: {e.message}"
            parsed = Parsed(None, {"code": e.code, "message": message})
        except Exception as e:  # the worker process died; recorded, retried on the next run
            parsed = Parsed(None, {"code": "internal_error", "message": f"{path}: 读取进程异常退出 ({type(e).__name__}: {e})"})
    else:
        parsed = read_file(checks.file, job.data, path)
    sim.remember(parsed.signature, parsed.prepared.bands if parsed.prepared is not None else None)
    return parsed


def _write_batch(
    store: Store, batch: list[_Job], in_batch: dict, checks: Checks, cp: Checkpoints | None = None,
    ahead: PairsAhead | None = None,
) -> list[IngestResult]:
    """Write a batch in one transaction, each job in its own savepoint; the results once committed.
    The cross-year pairs of the reports written new are made for the batch at once
    (``relations.cross_year_batch``), in a savepoint of their own; with ``ahead``, those that can be
    guessed before are checked by its worker process while the batch is written
    (:mod:`~nianbao.store.pairs_ahead`).

    Workers are waited for before the transaction begins (the write lock is held only to write)."""
    readings = [_parsed(job, checks) for job in batch]
    results: list[IngestResult] = []
    touched: set[int] = set()
    with store.writer.connect() as conn:
        sent = ahead.send(raw(conn), _new_readings(batch, readings)) if ahead is not None else None
        with conn.begin():
            copies = _Copies.of(conn, store, batch)
            for job, parsed in zip(batch, readings):
                result, t = _write_job(conn, store, job, parsed, in_batch, checks, copies)
                results.append(result)
                touched |= t
            touched |= _cross_year(conn, batch, results, checks, sent.run if sent is not None else None)
            refresh_counts(conn, touched)
    if cp is not None:
        cp.poke()
    return results


@dataclass
class _Copies:
    """Which of a batch's files were joined to a report as copies (``duplicates.copy_of``), read
    for the whole batch when its transaction begins (SQLite: the write lock held, nothing else
    changes them); asked file by file again once the batch joins a file itself."""

    known: dict[str, int]
    stale: bool = False

    @classmethod
    def of(cls, conn: Connection, store: Store, batch: list[_Job]) -> _Copies | None:
        if store.dialect != "sqlite":
            return None
        shas = sorted({job.sha for job in batch if job.sha and job.result is None and job.status != "duplicate"})
        return cls(duplicates.copies_of(conn, shas))

    def copy_of(self, conn: Connection, sha: str) -> int | None:
        return duplicates.copy_of(conn, sha) if self.stale else self.known.get(sha)


def _new_readings(batch: list[_Job], readings: list[Parsed | None]) -> list[tuple[str, int, str]]:
    """(agency key, year, stored JSON) of the batch's readings to be written new (as far as can be
    told before writing: one may still turn out a copy of a stored report), for
    :meth:`PairsAhead.send`."""
    out = []
    for job, parsed in zip(batch, readings):
        if job.result is not None or job.status != "new" or job.report_id is not None or parsed is None:
            continue
        prep = parsed.prepared
        if parsed.error is None and prep is not None and prep.agency is not None and prep.year:
            out.append((prep.agency[0], prep.year, prep.model))
    return out


def _cross_year(conn: Connection, batch: list[_Job], results: list[IngestResult], checks: Checks, run) -> set[int]:
    """The cross-year pairs of the batch's new reports; when making them at once fails, each
    report's are made alone, and a report whose pairs cannot be made is recorded ``failed``
    (``internal_error``, tried again on the next run) instead of being kept without them."""
    done = [(i, job) for i, job in enumerate(batch) if job.deferred is not None]
    if not done:
        return set()
    operational = errors(conn)[1]
    try:
        with savepoint(conn):
            return relations.cross_year_batch(conn, [job.deferred for _, job in done], checks.pair,
                                              run or relations.check_pairs)
    except operational:
        raise
    except Exception:  # noqa: BLE001  one report's fault must not lose the others: each alone
        pass
    touched: set[int] = set()
    ids = {job.deferred[0] for _, job in done}
    for i, job in done:
        rid, parsed = job.deferred
        try:
            with savepoint(conn):
                touched |= relations.cross_year_batch(conn, [job.deferred], checks.pair, batch=ids - {rid})
        except operational:
            raise
        except Exception as e:  # noqa: BLE001
            message = f"{job.input.path}: 无法写入数据库 ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
            error = {"code": "internal_error", "message": message}
            with savepoint(conn):
                write_failure(conn, job.sha, job.input.path, error, parsed.format, rid)
            results[i] = IngestResult(job.input.path, job.sha, "failed", rid, error)
            touched.add(rid)
    return touched


def _write_job(
    conn: Connection, store: Store, job: _Job, parsed: Parsed | None, in_batch: dict, checks: Checks,
    copies: _Copies | None = None,
) -> tuple[IngestResult, set[int]]:
    """One job inside the batch's transaction, in a savepoint: a unique key taken meanwhile by
    another process is retried (its rows are then found); any other error rolls this job back
    alone and makes it ``failed`` (``internal_error``: tried again on the next run)."""
    if job.result is not None and not job.note_source:
        return job.result, set()
    integrity, operational = errors(conn)
    for attempt in range(3):
        job.deferred = None
        try:
            with savepoint(conn):
                return _write_one(conn, store, job, parsed, in_batch, checks, copies)
        except integrity:
            if attempt == 2:
                return _write_error(conn, job, parsed, sys.exc_info()[1])
            job.report_id, job.retried = None, True
        except operational:  # the database itself (locked, full, gone): the batch fails
            raise
        except Exception as e:  # noqa: BLE001  one report's fault must not lose the others
            return _write_error(conn, job, parsed, e)
    raise AssertionError("unreachable")


@contextmanager
def savepoint(conn: Connection):
    """A savepoint in plain statements (SQLAlchemy's ``begin_nested`` costs more than the writing
    of a small report): released when the block ends, rolled back to when it raises."""
    r = raw(conn)
    r.run("SAVEPOINT nianbao_report")
    try:
        yield
    except BaseException:
        r.run("ROLLBACK TO SAVEPOINT nianbao_report")
        r.run("RELEASE SAVEPOINT nianbao_report")
        raise
    r.run("RELEASE SAVEPOINT nianbao_report")


def _write_error(conn: Connection, job: _Job, parsed: Parsed | None, e: BaseException) -> tuple[IngestResult, set[int]]:
    path = job.input.path
    error = {"code": "internal_error", "message": f"{path}: 无法写入数据库 ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"}
    rid = None
    try:
        with savepoint(conn):
            store_original(conn, job.sha, job.data)
            add_source(conn, job.sha, path)
            row = _existing(conn, job.sha)
            rid = write_failure(conn, job.sha, path, error, parsed.format if parsed else None, row.id if row else None)
    except errors(conn)[1]:
        raise
    except Exception:  # noqa: BLE001  the result still says what happened
        rid = None
    return IngestResult(path, job.sha, "failed", rid, error), {rid} if rid is not None else set()


def _write_one(
    conn: Connection, store: Store, job: _Job, parsed: Parsed | None, in_batch: dict, checks: Checks,
    copies: _Copies | None = None,
) -> tuple[IngestResult, set[int]]:
    path = job.input.path
    if job.result is not None:  # unchanged: its path noted among its sources
        add_source(conn, job.sha, path)
        return job.result, set()
    if job.status == "duplicate":
        rid = in_batch.get(job.sha)
        add_source(conn, job.sha, path)
        row = _existing(conn, job.sha)
        err = {"code": row.error_code, "message": row.error_message} if row and row.error_code else None
        return IngestResult(path, job.sha, "failed" if err else "unchanged", rid if rid is not None else (row.id if row else None), err), set()
    if parsed.readable:  # one report, one record: a copy of a stored report joins it
        target = copies.copy_of(conn, job.sha) if copies is not None else duplicates.copy_of(conn, job.sha)
        prep = parsed.prepared
        if target is None and job.report_id is None:
            if prep is not None and (prep.signature is None or prep.agency is None or not prep.year):
                target = None  # no signature, agency or year: not a copy (as duplicates.find says)
            elif prep is not None:
                target = duplicates.find_text(conn, prep.year, prep.agency[0], prep.signature, prep.text, job.sha)
            else:
                target = duplicates.find(conn, parsed.report, job.sha)
        if target is not None:
            if copies is not None:
                copies.stale = True  # the batch's own joins: asked again from now on
            copy = reread(store, target, parsed.report, checks.report)
            _, touched = duplicates.join_in(conn, job.sha, path, job.data, copy, target, checks.pair, checks.copied,
                                            parsed.lines, parsed.format)
            in_batch[job.sha] = target
            return _result(path, job.sha, "duplicate", target, parsed, store), touched
        if job.report_id is None and prep is not None and not job.retried:  # new: no correction to apply, rows made in the worker
            rid = write_new(conn, job.sha, path, job.data, prep)
            touched = relations.refresh_similarity(conn, rid, None, checks.copied, fresh=True,
                                                   signature=prep.signature or relations.NO_SIGNATURE, text=prep.text)
            job.deferred = (rid, parsed)  # its cross-year pairs: with the batch's (_cross_year)
            in_batch[job.sha] = rid
            return _result(path, job.sha, job.status, rid, parsed, store), touched
    parsed.report = reread(store, job.report_id, parsed.report, checks.report)  # a person's corrections, re-checked
    rid, touched = _write_in(conn, job.sha, path, job.data, parsed, job.report_id, checks)
    in_batch[job.sha] = rid
    return _result(path, job.sha, job.status, rid, parsed, store), touched


def add_report(store: Store, report: Report, data: bytes | None, checks: Checks, *, check: bool = False) -> int:
    """Store a :class:`Report` built in code (generated corpora, benchmarks, imports of JSON).

    The original is ``data`` or, when None, the report's JSON. Its findings are kept as they are
    (``check=True`` runs the checker first). Cross-year and copied-text findings are refreshed.
    """
    raw = data if data is not None else report.model_dump_json().encode("utf-8")
    sha = sha256(raw)
    if check:
        report.findings = checks.report(report)
    with store.engine.connect() as conn:
        row = _existing(conn, sha)
    return write_parsed(store, sha, report.source.path or f"report-{sha[:12]}.json", raw, Parsed(report, None, report.source.format), row.id if row else None, checks)


def _prepared(report: Report) -> tuple[Parsed, bytes]:
    """A report built in code as the writer takes it (its rows prepared: in a worker, it travels
    without its Report) and its JSON (its original)."""
    data = report.model_dump_json().encode("utf-8")
    prep = prepare(report, data)  # its signature on the Parsed too, as read_file's: the writer keeps its bands
    return Parsed(report, None, report.source.format, signature=prep.signature, prepared=prep), data


def write_reports(
    store: Store, reports: Iterable[Report], checks: Checks, *, workers: int = 1
) -> Iterator[IngestResult]:
    """Store many reports built in code (as :func:`add_report` without ``data``), through the batch
    writer of :func:`ingest_inputs`: their findings kept as they are, one result per report.

    :param workers: processes preparing the reports' rows (as ingest's workers do), 1: here; with
        more, the cross-year pairs are checked ahead too, as ingest checks them (:class:`PairsAhead`)."""
    pool = None
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(workers)
    try:
        made = pool.map(_prepared, reports, chunksize=16) if pool is not None else map(_prepared, reports)
        yield from _write_readings(store, made, checks, PairsAhead(checks.pair) if workers > 1 else None)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def prepare_report(report: Report) -> tuple[Parsed, bytes]:
    """A report built in code as :func:`write_prepared` takes it: its reading with the rows
    prepared (what ingest's workers hand the writer) and its original (its JSON)."""
    return _prepared(report)


def write_prepared(
    store: Store, readings: Iterable[tuple[Parsed, bytes]], checks: Checks, *, ahead: bool = False
) -> Iterator[IngestResult]:
    """The writer of :func:`write_reports` alone, for readings prepared already elsewhere
    (:func:`prepare_report`, e.g. in other processes): batches of :data:`BATCH`; with ``ahead``, the
    cross-year pairs that can be guessed are checked in a process of their own while each batch is
    written (:class:`PairsAhead`, as ingest with worker processes does), else all in this process."""
    yield from _write_readings(store, readings, checks, PairsAhead(checks.pair) if ahead else None)


def _write_readings(
    store: Store, made: Iterable[tuple[Parsed, bytes]], checks: Checks, ahead: PairsAhead | None
) -> Iterator[IngestResult]:
    with fewer_collections():
        yield from _write_made(store, made, checks, ahead)


def _write_made(
    store: Store, made: Iterable[tuple[Parsed, bytes]], checks: Checks, ahead: PairsAhead | None
) -> Iterator[IngestResult]:
    batch: list[_Job] = []

    def flush() -> list[IngestResult]:
        with store.engine.connect() as conn:
            stored = _existing_many(conn, sorted({job.sha for job in batch}))
            for job in batch:
                row = stored.get(job.sha)
                job.status = "reparsed" if row is not None else "new"
                job.report_id = row.id if row is not None else None
        return _write_batch(store, batch, {}, checks, cp, ahead)

    cp = Checkpoints.start(store)
    try:
        for parsed, data in made:
            job = _Job(Input(_path_of(parsed, data), lambda data=data: data), data=data)
            job.sha = sha256(data)
            job.future = _Done(parsed)
            batch.append(job)
            if len(batch) == BATCH:
                yield from flush()
                batch = []
        if batch:
            yield from flush()
    finally:
        if cp is not None:
            cp.close()
        if ahead is not None:
            ahead.close()


def _path_of(parsed: Parsed, data: bytes) -> str:
    if parsed.prepared is not None and parsed.prepared.path:
        return parsed.prepared.path
    return f"report-{sha256(data)[:12]}.json"


class _Done:
    """A reading already made (``write_reports``), standing in for a worker's future."""

    def __init__(self, parsed: Parsed) -> None:
        self._parsed = parsed

    def done(self) -> bool:
        return True

    def result(self) -> Parsed:
        return self._parsed


def stale(store: Store) -> list[tuple[int, str, str]]:
    """Reports read by another reader version, or whose error may go away: (id, sha256, path)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(S.reports.c.id, S.reports.c.sha256, S.reports.c.path, S.reports.c.reader_version, S.reports.c.error_code)
            .order_by(S.reports.c.id)
        ).all()
    return [(r.id, r.sha256, r.path) for r in rows if not _up_to_date(r)]


def reparse(
    store: Store, checks: Checks, *, all_reports: bool = False, workers: int | None = None, engine=None
) -> Iterator[IngestResult]:
    """Re-read stored originals whose reader version is not :data:`nianbao.READER_VERSION`
    (every report with ``all_reports``), in place: report ids and overrides are kept."""
    if all_reports:
        with store.engine.connect() as conn:
            todo = [(r.id, r.sha256, r.path) for r in conn.execute(select(S.reports.c.id, S.reports.c.sha256, S.reports.c.path).order_by(S.reports.c.id))]
    else:
        todo = stale(store)

    def reader(sha: str) -> Callable[[], bytes]:
        def read() -> bytes:
            with store.engine.connect() as conn:
                data = load_original(conn, sha)
            if data is None:
                raise NianbaoError(f"{sha}: 原始文件不在库中")
            return data

        return read

    inputs = [Input(path, reader(sha)) for _, sha, path in todo]
    return ingest_inputs(store, inputs, checks, workers=workers, force=True, engine=engine)
