"""The wide shape (one row per report, every cell a column, then the metrics) built from the
packed cells (``cell_packs``) as arrays, a range of reports at a time, for CSV and Parquet.

It holds what :func:`nianbao.store.export.wide_rows` builds from each report's stored model (the
reference, kept for Excel and the tests): a report's pack has every cell the report has, with the
value in force (corrections included; an unreadable report has none). Per range:
- the codes and values of the packs read by :func:`nianbao.store.cell_reader.pack_tables` are
  placed in a matrix (report × :data:`~nianbao.store.export.CELL_COLUMNS`) by code, NaN where a
  report has no such cell or its value is empty (both are an empty cell of the export);
- each metric is computed over the matrix's columns as :meth:`nianbao.metrics.Metric.compute`
  does for one report: the cells summed in order from 0.0, empty when any is missing or the
  denominator is 0.
"""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import select

from ..metrics import METRICS
from . import schema as S
from .db import Store

WIDE_PACK = ("report_id", "n", "codes", "vals")  # the columns of cell_packs the wide shape reads


def _meta_rows(store: Store, filters: dict, scope) -> list:
    from .export import _scoped

    r, a = S.reports, S.agencies
    q = select(
        r.c.id, a.c.name, r.c.agency_raw, a.c.kind, a.c.province, a.c.city, a.c.county, a.c.township, r.c.year,
        r.c.template, r.c.published, r.c.status, r.c.reading, r.c.n_errors, r.c.n_warnings, r.c.path, r.c.sha256,
    ).select_from(r.outerjoin(a, r.c.agency_id == a.c.id))
    q = _scoped(q, filters, scope).order_by(r.c.id)
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(q)]


def _metric(matrix, col_of: dict[str, int], numerator: tuple[str, ...], denominator: tuple[str, ...]):
    import numpy as np

    def total(paths):
        s = np.zeros(len(matrix))
        for p in paths:  # in order, as metrics._sum adds them
            j = col_of.get(p)
            s = s + (matrix[:, j] if j is not None else np.nan)
        return s

    num, den = total(numerator), total(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    out[np.isnan(num) | np.isnan(den) | (den == 0)] = np.nan
    return out


def wide_columns(store: Store, filters: dict, scope=None) -> Iterator[tuple[list, list]]:
    """(arrays, kinds) a range of reports at a time: the wide shape's columns as pyarrow arrays
    (meta columns, cells, metrics; cells and metrics float64 with nulls) and each one's kind
    ("text" or "number", for :func:`nianbao.store.csv_arrow.lines`)."""
    import numpy as np
    import pyarrow as pa

    from . import cell_reader
    from .export import _META_TYPES, CELL_COLUMNS

    meta = _meta_rows(store, filters, scope)
    if not meta:
        return
    ids = np.array([row[0] for row in meta], dtype=np.int64)
    col_of = {p: j for j, p in enumerate(CELL_COLUMNS)}
    size = cell_reader.RANGE_REPORTS
    meta_types = [pa.int64() if t == "int" else pa.string() for t in _META_TYPES]
    kinds = ["number" if t == "int" else "text" for t in _META_TYPES] + ["number"] * (len(CELL_COLUMNS) + len(METRICS))
    paths = cell_reader.Paths(store)
    column_of: dict[int, object] = {}  # the matrix column of each code (-1: not a column), per dictionary size

    def columns_of(top: int):
        names = paths.covering(top)
        found = column_of.get(len(names))
        if found is None:
            found = column_of[len(names)] = np.array([col_of.get(p, -1) for p in names.to_pylist()], dtype=np.int64)
        return found

    tables = cell_reader.pack_tables(store, ids, WIDE_PACK, size=size)
    for start, t in zip(range(0, len(ids), size), tables):
        part = ids[start:start + size]
        matrix = np.full((len(part), len(CELL_COLUMNS)), np.nan)
        n = t.column("n").to_numpy()
        codes = cell_reader.blobs(t.column("codes"), "<u2", n, "codes")
        if len(codes):
            cols = columns_of(int(codes.max()))[codes]
            rows = np.repeat(np.searchsorted(part, t.column("report_id").to_numpy()), n)
            values = cell_reader.blobs(t.column("vals"), "<f8", n, "vals")
            keep = cols >= 0
            matrix[rows[keep], cols[keep]] = values[keep]
        rows_meta = meta[start:start + size]
        arrays = [pa.array([row[k] for row in rows_meta], meta_types[k]) for k in range(len(meta_types))]
        arrays += [pa.array(matrix[:, j], from_pandas=True) for j in range(len(CELL_COLUMNS))]
        arrays += [pa.array(_metric(matrix, col_of, m.numerator, m.denominator), from_pandas=True) for m in METRICS]
        yield arrays, kinds


def parquet_arrays(arrays: list, types: list[str]) -> list:
    """The arrays as the wide Parquet file has them: an "int" cell truncated to an integer (as
    ``int(v)``), a "float" one as it is, text as text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = []
    for arr, t in zip(arrays, types):
        if t == "int" and pa.types.is_floating(arr.type):
            arr = pc.cast(pa.array(np.trunc(arr.to_numpy(zero_copy_only=False)), from_pandas=True), pa.int64(), safe=False)
        out.append(arr)
    return out
