"""Some cells of many reports as a matrix, read from ``cell_packs`` (``cellpack.py``) without a
Python object per cell: the overview's sums by year and the rankings' rates by unit.

A statement selects one row per report, ``(key, codes, vals)``: any key the caller groups by (the
year, a unit), then the pack's ``codes`` and ``vals`` (the values in force). Its rows are read
``chunk`` at a time, each chunk's packs decoded as numpy arrays (``cellpack.arrays``) and the wanted
paths' cells put in place by a lookup table from code to column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from sqlalchemy import Connection, Select

from . import cellpack

CHUNK = 2000  # reports per fetch: ~4 MB of codes and values


@dataclass
class Matrix:
    """One row per report, one column per path asked for."""

    keys: list[Any]  # each report's key, as the statement gave it
    values: np.ndarray  # float64, NaN where the report has no such cell or the cell has no value
    present: np.ndarray  # bool: the report has the cell (with or without a value)
    paths: Sequence[str]  # the columns

    def groups(self) -> tuple[list[Any], np.ndarray]:
        """(distinct keys in order of first appearance, each report's index among them)."""
        index: dict[Any, int] = {}
        where = np.fromiter((index.setdefault(k, len(index)) for k in self.keys), dtype=np.int64, count=len(self.keys))
        return list(index), where

    def sums(self) -> dict[Any, dict[str, float]]:
        """Per key, per path: the sum of the values (a cell without a value adds nothing), for the
        paths some report of that key has (as SQL's ``SUM(value) GROUP BY key, path`` over the
        cells, with ``COALESCE(…, 0)``); a key none of whose reports has any of the paths is left out."""
        keys, where = self.groups()
        size = (len(keys), len(self.paths))
        cell = (where[:, None] * size[1] + np.arange(size[1])).ravel()  # (key, path) of every element
        total = np.bincount(cell, weights=np.where(self.present, np.nan_to_num(self.values, nan=0.0), 0.0).ravel(),
                            minlength=size[0] * size[1]).reshape(size)
        seen = np.bincount(cell, weights=self.present.ravel(), minlength=size[0] * size[1]).reshape(size) > 0
        return {
            k: {p: float(total[i, j]) for j, p in enumerate(self.paths) if seen[i, j]}
            for i, k in enumerate(keys) if seen[i].any()
        }


def matrix(conn: Connection, q: Select, paths: Sequence[str], chunk: int = CHUNK) -> Matrix:
    """The cells of ``paths`` of every report ``q`` selects (rows of ``key, codes, vals``)."""
    paths = list(paths)
    column = np.full(1 << 16, -1, dtype=np.int16)  # code (uint16) → column (a few paths), −1: not wanted
    for p, c in cellpack.code_of(conn, paths).items():
        column[c] = paths.index(p)
    keys: list[Any] = []
    values: list[np.ndarray] = []
    present: list[np.ndarray] = []
    result = conn.execution_options(yield_per=chunk).execute(q)
    for rows in result.partitions(chunk):
        at, codes, vals = cellpack.arrays([(i, row[1], row[2]) for i, row in enumerate(rows)])
        col = column[codes]
        take = np.flatnonzero(col >= 0)
        at, col = at[take], col[take]
        v = np.full((len(rows), len(paths)), np.nan)
        h = np.zeros((len(rows), len(paths)), dtype=bool)
        v[at, col] = vals[take]
        h[at, col] = True
        keys.extend([row[0] for row in rows])
        values.append(v)
        present.append(h)
    if not values:
        return Matrix([], np.zeros((0, len(paths))), np.zeros((0, len(paths)), dtype=bool), paths)
    return Matrix(keys, np.concatenate(values), np.concatenate(present), paths)
