"""The ``cells`` table read as Arrow tables, a range of reports at a time, for the exports.

:func:`cell_tables` gives the cells of the given reports (sorted ids) as pyarrow tables of
``report_id, path, value, raw, line, page`` in the order of the primary key (report, then path),
one table per range of :data:`RANGE_REPORTS` reports.

How it reads:
- a SQLite file, when ``adbc-driver-sqlite`` is installed (the ``[parquet]`` extra): the driver
  turns the rows into Arrow columns in C (no Python object per cell); two ranges are read at once in
  threads, each with its own connection (the driver releases the GIL), and handed over in order.
  The driver guesses a column's type from the first batch of a result, so every query begins with
  a typed row (report_id −1, dropped) and returns one range in one batch;
- otherwise (PostgreSQL, a database in memory, no driver): the SQLAlchemy connection's own cursor,
  one range at a time, the rows turned into columns at once.

Each range is read in its own statement: during a concurrent write, a report is seen whole (a report
is written in one transaction) but two ranges may see the corpus at two moments.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from .db import Store

RANGE_REPORTS = 500  # reports per statement (about 100,000 cells)
BATCH_ROWS = 1 << 22  # the ADBC driver's rows per batch: a range always fits in one
COLUMNS = ("report_id", "path", "value", "raw", "line", "page")
_SELECT = "SELECT report_id, path, value, raw, line, page FROM cells"
_TYPED_ROW = "SELECT -1 AS report_id, '' AS path, 0.5 AS value, '' AS raw, 0 AS line, 0 AS page UNION ALL "


def schema():
    import pyarrow as pa

    return pa.schema([("report_id", pa.int64()), ("path", pa.string()), ("value", pa.float64()),
                      ("raw", pa.string()), ("line", pa.int64()), ("page", pa.int64())])


def _where(ids) -> str:
    """The condition on report_id for a range of sorted ids (integers, written as literals)."""
    lo, hi = int(ids[0]), int(ids[-1])
    if hi - lo + 1 == len(ids):
        return f"report_id BETWEEN {lo} AND {hi}"
    return f"report_id IN ({','.join(str(int(i)) for i in ids)})"


def sqlite_file(store: Store) -> Path | None:
    """The file of a SQLite store (None for PostgreSQL or a database in memory)."""
    if store.dialect != "sqlite":
        return None
    name = store.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name)
    return path if path.is_file() else None


def adbc_available() -> bool:
    try:
        import adbc_driver_sqlite.dbapi  # noqa: F401
    except ImportError:
        return False
    return True


def cell_tables(store: Store, ids, *, then: Callable | None = None, size: int | None = None,
                use_adbc: bool | None = None) -> Iterator:
    """The cells of the reports ``ids`` (a sorted numpy array), ``size`` reports per table (one
    table for every ``size`` ids, empty when those reports have no cells), in (report, path) order (``size``: :data:`RANGE_REPORTS` by default), each table passed through
    ``then`` (in the reading thread) when given.
    ``use_adbc``: None to use the ADBC driver where it applies."""
    if len(ids) == 0:
        return
    size = size or RANGE_REPORTS
    parts = [ids[i:i + size] for i in range(0, len(ids), size)]
    path = sqlite_file(store)
    if use_adbc is None:
        use_adbc = path is not None and adbc_available()
    if use_adbc and path is not None and _adbc_opens(path):
        yield from _adbc_tables(path, parts, then)
    else:
        for t in _cursor_tables(store, parts):
            yield then(t) if then is not None else t


def _uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=rw"  # mode=rw: never create a file


def _adbc_opens(path: Path) -> bool:
    """Whether the driver opens the file and reads ``cells`` (if not, the cursor reads it: the
    export is the same, only slower)."""
    import adbc_driver_sqlite.dbapi as adbc

    try:
        con = adbc.connect(_uri(path), autocommit=True)
        try:
            cur = con.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("SELECT report_id FROM cells LIMIT 1")
            cur.fetchall()
            cur.close()
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - any failure of the optional driver: the cursor reads instead
        return False
    return True


def _adbc_tables(path: Path, parts: list, then: Callable | None) -> Iterator:
    import adbc_driver_sqlite.dbapi as adbc

    uri = _uri(path)
    local = threading.local()
    opened: list = []
    lock = threading.Lock()
    want = schema()

    def read(ids):
        con = getattr(local, "con", None)
        if con is None:
            con = local.con = adbc.connect(uri, autocommit=True)
            with lock:
                opened.append(con)
            cur = con.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA mmap_size = 2147418112")  # pages read in place, not copied (SQLite caps it at 2 GB)
            cur.close()
        cur = con.cursor()
        try:
            cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
            cur.execute(f"{_TYPED_ROW}{_SELECT} WHERE {_where(ids)} ORDER BY 1, 2")
            t = cur.fetch_arrow_table()
        finally:
            cur.close()
        t = t.slice(1).cast(want)
        return then(t) if then is not None else t

    workers = max(1, min(2, os.cpu_count() or 1))
    yield from _in_order(read, parts, workers, closing=opened)


def _in_order(read: Callable, parts: list, workers: int, closing: list) -> Iterator:
    """``read(part)`` for every part, ``workers`` at a time ahead of the consumer, in order."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nianbao-cells")
    pending: deque = deque()
    todo = iter(parts)
    try:
        for part in todo:
            pending.append(pool.submit(read, part))
            if len(pending) >= 2 * workers:
                break
        while pending:
            t = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(read, nxt))
            yield t
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True)
        for con in closing:
            con.close()


def _cursor_tables(store: Store, parts: list) -> Iterator:
    import numpy as np
    import pyarrow as pa

    want = schema()
    with store.engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # the driver's rows: no SQLAlchemy Row per cell
        for ids in parts:
            cur.execute(f"{_SELECT} WHERE {_where(ids)} ORDER BY report_id, path")
            rows = cur.fetchall()
            if not rows:
                yield want.empty_table()
                continue
            rid, path, value, raw, line, page = zip(*rows)
            yield pa.Table.from_arrays([
                pa.array(np.fromiter(rid, dtype=np.int64, count=len(rid))), pa.array(path, pa.string()),
                pa.array(value, pa.float64()), pa.array(raw, pa.string()),
                pa.array(line, pa.int64()), pa.array(page, pa.int64()),
            ], schema=want)
