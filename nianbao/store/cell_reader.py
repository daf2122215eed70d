"""The cells of many reports read from ``cell_packs`` as Arrow tables, a range of reports at a time,
for the exports.

A report's cells are one row of ``cell_packs`` (the arrays of :mod:`nianbao.store.cellpack`, whose
docstring defines the bytes). :func:`pack_tables` reads those rows as they are stored, one table per
range of :data:`RANGE_REPORTS` reports; :func:`cell_tables` unpacks them into one row per cell,
``report_id, path, value, raw, line, page`` in (report, path) order, without a Python object per
cell: the values buffer of a binary column is the concatenation of its blobs, so one
``np.frombuffer`` gives every code (value, line, page) of a range at once; the raw texts are split
on U+001F by Arrow; a path is its code taken from the ``cell_paths`` of the database.

How it reads:
- a SQLite file, when ``adbc-driver-sqlite`` is installed (the ``[parquet]`` extra): the driver
  turns the rows into Arrow columns in C; two ranges are read at once in threads, each with its own
  connection (the driver releases the GIL), and handed over in order. The driver guesses a column's
  type from the first batch of a result, so every query begins with a typed row (report_id −1,
  dropped) and returns one range in one batch;
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
from typing import Callable, Iterator, Sequence

from ..errors import StoreError
from .cellpack import NO_RAW, NONE, SEP
from .db import Store

RANGE_REPORTS = 500  # reports per statement (about 100,000 cells)
BATCH_ROWS = 1 << 22  # the ADBC driver's rows per batch: a range always fits in one
COLUMNS = ("report_id", "path", "value", "raw", "line", "page")
PACK = ("report_id", "n", "codes", "vals", "raws", "lines", "pages")  # what the long shape reads
_TYPED = {"report_id": "-1", "n": "0", "codes": "X''", "vals": "X''", "read_vals": "X''", "raws": "''",
          "lines": "X''", "pages": "X''"}  # a row that types every column for the driver


def schema():
    import pyarrow as pa

    return pa.schema([("report_id", pa.int64()), ("path", pa.dictionary(pa.int32(), pa.string())),
                      ("value", pa.float64()), ("raw", pa.string()), ("line", pa.int64()), ("page", pa.int64())])


def pack_schema(columns: Sequence[str]):
    import pyarrow as pa

    types = {"report_id": pa.int64(), "n": pa.int64(), "raws": pa.string()}
    return pa.schema([(c, types.get(c, pa.binary())) for c in columns])


def _where(ids) -> str:
    """The condition on report_id for a range of sorted ids (integers, written as literals)."""
    lo, hi = int(ids[0]), int(ids[-1])
    if hi - lo + 1 == len(ids):
        return f"report_id BETWEEN {lo} AND {hi}"
    return f"report_id IN ({','.join(str(int(i)) for i in ids)})"


def _select(columns: Sequence[str], ids) -> str:
    return f"SELECT {', '.join(columns)} FROM cell_packs WHERE {_where(ids)} ORDER BY report_id"


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


# --------------------------------------------------------------------------- paths


class Paths:
    """The database's paths by code as an Arrow array (the dictionary of the ``path`` column), read
    again when a range holds a code added since (codes only grow, never change)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.array = self._read()

    def _read(self):
        import pyarrow as pa

        from sqlalchemy import select

        from . import schema as S

        with self.store.engine.connect() as conn:
            rows = conn.execute(select(S.cell_paths.c.code, S.cell_paths.c.path)).all()
        by_code: list[str | None] = [None] * (max((c for c, _ in rows), default=-1) + 1)
        for c, p in rows:
            by_code[c] = p
        return pa.array(by_code, pa.string())

    def covering(self, top: int):
        """The array, holding code ``top``."""
        with self.lock:
            if top >= len(self.array):
                self.array = self._read()
            if top >= len(self.array):
                raise StoreError(f"cell_packs: 单元格代码 {top} 不在 cell_paths 中")
            return self.array


# --------------------------------------------------------------------------- unpacking


def blobs(arr, dtype: str, n, what: str):
    """Every blob of a binary array as one numpy array of ``dtype`` (native byte order), checked
    against the cells counts ``n``."""
    import numpy as np
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    width = np.dtype(dtype).itemsize
    if len(arr) == 0:
        return np.empty(0, dtype=np.dtype(dtype).newbyteorder("="))
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if pa.types.is_large_binary(arr.type) else np.int32)
    offsets = offsets[arr.offset:arr.offset + len(arr) + 1]
    if arr.null_count or not np.array_equal(np.diff(offsets), n * width):
        raise StoreError(f"cell_packs: {what} 的长度与单元格数不符")
    total = int(offsets[-1] - offsets[0])
    if total == 0:
        return np.empty(0, dtype=np.dtype(dtype).newbyteorder("="))
    out = np.frombuffer(arr.buffers()[2], dtype=dtype, count=total // width, offset=int(offsets[0]))
    return out.astype(out.dtype.newbyteorder("="), copy=False)


def _ints(data):
    """int32 lines or pages as int64 Arrow, -1 as null."""
    import pyarrow as pa

    return pa.array(data.astype("int64"), mask=data == NONE)


def _raws(raws, n):
    """The raw texts of every cell (``NO_RAW``: null) from each report's texts joined by ``SEP``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(raws, pa.ChunkedArray):
        raws = raws.combine_chunks()
    some = n > 0
    if not some.all():
        raws = raws.filter(pa.array(some))  # a report without cells has "" (not one empty text)
    parts = pc.split_pattern(raws, SEP)
    if not pc.equal(pc.list_value_length(parts), pa.array(n[some])).to_numpy(zero_copy_only=False).all():
        raise StoreError("cell_packs: raws 的段数与单元格数不符")
    flat = parts.flatten()
    marker = NO_RAW.encode("utf-8")
    if len(marker) != 1 or flat.null_count or len(flat) == 0:
        none = pc.equal(flat, NO_RAW)
        return pc.if_else(none, pa.scalar(None, pa.string()), flat) if pc.any(none).as_py() else flat
    # a text of one byte that is the marker: found on the offsets and bytes, made null by a validity bitmap
    _, offsets, data = flat.buffers()
    at = np.frombuffer(offsets, dtype=np.int32)[flat.offset:flat.offset + len(flat) + 1]
    one = np.flatnonzero(np.diff(at) == 1)
    none = one[np.frombuffer(data, dtype=np.uint8)[at[one]] == marker[0]] if len(one) else one
    if len(none) == 0:
        return flat
    valid = np.ones(len(flat), dtype=bool)
    valid[none] = False
    return pa.Array.from_buffers(pa.string(), len(flat), [
        pa.py_buffer(np.packbits(valid, bitorder="little")), offsets.slice(flat.offset * 4), data,
    ], null_count=len(none))


def unpack(t, paths: Paths):
    """A table of packs (:data:`PACK` columns) as one row per cell (:func:`schema`)."""
    import numpy as np
    import pyarrow as pa

    want = schema()
    if t.num_rows == 0:
        return want.empty_table()
    n = t.column("n").to_numpy()
    codes = blobs(t.column("codes"), "<u2", n, "codes")
    if len(codes) == 0:
        return want.empty_table()
    names = paths.covering(int(codes.max()))
    rid = np.repeat(t.column("report_id").to_numpy(), n)
    path = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), names)
    value = pa.array(blobs(t.column("vals"), "<f8", n, "vals"), from_pandas=True)  # NaN: no value
    return pa.Table.from_arrays([
        pa.array(rid), path, value, _raws(t.column("raws"), n),
        _ints(blobs(t.column("lines"), "<i4", n, "lines")), _ints(blobs(t.column("pages"), "<i4", n, "pages")),
    ], schema=want)


# --------------------------------------------------------------------------- reading


def cell_tables(store: Store, ids, *, then: Callable | None = None, size: int | None = None,
                use_adbc: bool | None = None) -> Iterator:
    """The cells of the reports ``ids`` (a sorted numpy array), ``size`` reports per table (one
    table for every ``size`` ids, empty when those reports have no cells), in (report, path) order
    (``size``: :data:`RANGE_REPORTS` by default), each table passed through ``then`` (in the
    reading thread) when given. The ``path`` column is a dictionary array whose indices are the
    paths' codes. ``use_adbc``: None to use the ADBC driver where it applies."""
    paths = Paths(store) if len(ids) else None

    def cells(t):
        t = unpack(t, paths)
        return then(t) if then is not None else t

    yield from pack_tables(store, ids, PACK, then=cells, size=size, use_adbc=use_adbc)


def pack_tables(store: Store, ids, columns: Sequence[str], *, then: Callable | None = None, size: int | None = None,
                use_adbc: bool | None = None) -> Iterator:
    """The ``cell_packs`` rows of the reports ``ids`` (a sorted numpy array) as tables of
    ``columns`` (:func:`pack_schema`), in report order, ``size`` reports' ids per table, each
    passed through ``then`` (in the reading thread) when given."""
    if len(ids) == 0:
        return
    size = size or RANGE_REPORTS
    parts = [ids[i:i + size] for i in range(0, len(ids), size)]
    path = sqlite_file(store)
    if use_adbc is None:
        use_adbc = path is not None and adbc_available()
    if use_adbc and path is not None and _adbc_opens(path):
        yield from _adbc_tables(path, parts, columns, then)
    else:
        for t in _cursor_tables(store, parts, columns):
            yield then(t) if then is not None else t


def _uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=rw"  # mode=rw: never create a file


def _adbc_opens(path: Path) -> bool:
    """Whether the driver opens the file and reads ``cell_packs`` (if not, the cursor reads it: the
    export is the same, only slower)."""
    import adbc_driver_sqlite.dbapi as adbc

    try:
        con = adbc.connect(_uri(path), autocommit=True)
        try:
            cur = con.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("SELECT report_id FROM cell_packs LIMIT 1")
            cur.fetchall()
            cur.close()
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - any failure of the optional driver: the cursor reads instead
        return False
    return True


def _adbc_tables(path: Path, parts: list, columns: Sequence[str], then: Callable | None) -> Iterator:
    import adbc_driver_sqlite.dbapi as adbc

    uri = _uri(path)
    local = threading.local()
    opened: list = []
    lock = threading.Lock()
    want = pack_schema(columns)
    typed = "SELECT " + ", ".join(f"{_TYPED[c]} AS {c}" for c in columns) + " UNION ALL "

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
            cur.execute(typed + _select(columns, ids))
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


def _cursor_tables(store: Store, parts: list, columns: Sequence[str]) -> Iterator:
    import pyarrow as pa

    want = pack_schema(columns)
    with store.engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # the driver's rows: no SQLAlchemy Row per report
        for ids in parts:
            cur.execute(_select(columns, ids))
            rows = cur.fetchall()
            if not rows:
                yield want.empty_table()
                continue
            cols = list(zip(*rows))
            yield pa.Table.from_arrays([
                pa.array([v if isinstance(v, (bytes, str, int)) or v is None else bytes(v) for v in col], f.type)
                for col, f in zip(cols, want)
            ], schema=want)
