"""A report's cells kept in one row of ``cell_packs`` instead of one row per cell.

A report has about 200 cells. Written as 200 rows of a B-tree table (and of its index by path),
they cost SQLite ~1 ms a report, a third of the writer's time; written as one row of arrays they
cost ~0.03 ms. Every reader of cells wants either one report's cells (the report page, the
checker's corrections, the source view) or some cells of many reports at once (exports, charts,
rankings), and both are served by decoding arrays: one report's in microseconds, many reports' as
numpy or Arrow columns without a Python object per cell.

One row per report, every array in the cells' order, which is the order of their paths
(as ``str`` sorts them, the order SQLite's ``ORDER BY path`` gave the ``cells`` table):

=============  ==============================================================================
``n``          how many cells
``codes``      little-endian uint16: each cell's path as its code in ``cell_paths`` (code → path)
``vals``       little-endian float64: the value in force (as read, or a person's latest
               correction); NaN for a cell without a value
``read_vals``  NULL when no cell was corrected; else float64 as ``vals``: the value as read
               (NaN also for a cell a correction added)
``raws``       the cells' raw texts joined by U+001F (:data:`SEP`); U+001E (:data:`NO_RAW`) for a
               cell without provenance
``lines``      little-endian int32: the line each value was read on, -1 for none
``pages``      little-endian int32: its page, -1 for none
=============  ==============================================================================

``cell_paths`` is filled by the migration with every path the templates have; a path met later
(a new template) is added by the writer that meets it. Codes are never changed nor reused, so a
code read once names the same path for the life of the database.
"""

from __future__ import annotations

import math
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from sqlalchemy import Connection

from .raw import raw

SEP = "\x1f"  # between two raw texts
NO_RAW = "\x1e"  # the raw text of a cell without provenance (PostgreSQL text holds no NUL)
NONE = -1  # a line or page that is not known
NAN = float("nan")
PACK_COLUMNS = ("report_id", "n", "codes", "vals", "read_vals", "raws", "lines", "pages")
_SWAP = sys.byteorder != "little"  # arrays are stored little-endian


@lru_cache(maxsize=1)
def template_paths() -> tuple[str, ...]:
    """Every cell path of every template version, sorted (what the migration puts in ``cell_paths``)."""
    from ..template import VERSIONS, cells_of

    return tuple(sorted({c.path for v in VERSIONS for c in cells_of(v)}))


@lru_cache(maxsize=1)
def template_codes() -> dict[str, int]:
    """path → code as the migration numbers the templates' paths (their sorted order)."""
    return {p: i for i, p in enumerate(template_paths())}


# --------------------------------------------------------------------------- encoding


def _bytes(kind: str, values) -> bytes:
    a = array(kind, values)
    if _SWAP:
        a.byteswap()
    return a.tobytes()


def _array(kind: str, data: bytes | None) -> array:
    a = array(kind)
    if data:
        a.frombytes(bytes(data))
        if _SWAP:
            a.byteswap()
    return a


def _raw_text(t: str | None) -> str:
    if t is None:
        return NO_RAW
    if SEP in t or NO_RAW in t:
        t = t.replace(SEP, " ").replace(NO_RAW, " ")
    return t


@dataclass
class Body:
    """A report's cells encoded where the report was read (a worker, without the database): the
    arrays of its row, and its paths as the templates' codes (:func:`template_codes`) or, when a
    path is outside the templates, as strings (``names``). The writer turns them into the
    database's codes (:func:`row`)."""

    vals: bytes
    raws: str
    lines: bytes
    pages: bytes
    read_vals: bytes | None = None
    codes: bytes | None = None  # the templates' codes of the paths (None: ``names`` holds them)
    names: list[str] | None = None  # the paths, when one is outside the templates

    @property
    def paths(self) -> list[str]:
        """The cells' paths, sorted."""
        if self.names is not None:
            return self.names
        known = template_paths()
        return [known[c] for c in _array("H", self.codes)]


def body(cells: Iterable[Sequence]) -> Body:
    """:class:`Body` of cells given as (path, value, raw, line, page) — or (path, value, raw, line,
    page, read_value), a read value that differs from the value making ``read_vals``."""
    cells = sorted(cells, key=_first)
    read = None
    if any(len(c) > 5 and not _same(c[5], c[1]) for c in cells):
        read = _bytes("d", [NAN if c[5] is None else c[5] for c in cells])
    known = template_codes()
    try:
        codes_, names = _bytes("H", [known[c[0]] for c in cells]), None
    except KeyError:
        codes_, names = None, [c[0] for c in cells]
    return Body(
        codes=codes_,
        names=names,
        vals=_bytes("d", [NAN if c[1] is None else c[1] for c in cells]),
        raws=SEP.join([_raw_text(c[2]) for c in cells]),
        lines=_bytes("i", [NONE if c[3] is None else c[3] for c in cells]),
        pages=_bytes("i", [NONE if c[4] is None else c[4] for c in cells]),
        read_vals=read,
    )


def _first(c: Sequence) -> str:
    return c[0]


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and float(a) == float(b))


# --------------------------------------------------------------------------- codes


class Codes:
    """The ``cell_paths`` of one database connection: path → code and code → path."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.code = {p: c for c, p in rows}
        size = max((c for c, _ in rows), default=-1) + 1
        self.path: list[str | None] = [None] * size
        for c, p in rows:
            self.path[c] = p


def codes(conn: Connection, reload: bool = False) -> Codes:
    """The connection's :class:`Codes` (read once per driver connection; codes only grow)."""
    info = conn.connection.info
    found = info.get("nianbao_codes")
    if found is None or reload:
        found = info["nianbao_codes"] = Codes(raw(conn).all("SELECT code, path FROM cell_paths"))
        info.pop("nianbao_codes_hold", None)
    return found


def code_bytes(conn: Connection, paths: list[str]) -> bytes:
    """The codes of some paths as stored (a path not known yet is added to ``cell_paths``)."""
    known = codes(conn)
    try:
        return _bytes("H", [known.code[p] for p in paths])
    except KeyError:
        pass
    r = raw(conn)
    for _ in range(3):  # another writer may take the same code meanwhile: read again, add what is missing
        for p in sorted({p for p in paths if p not in known.code}):
            r.run("INSERT INTO cell_paths (code, path) SELECT COALESCE(MAX(code), -1) + 1, ? FROM cell_paths WHERE true "
                  "ON CONFLICT DO NOTHING", (p,))
        known = codes(conn, reload=True)
        if all(p in known.code for p in paths):
            return _bytes("H", [known.code[p] for p in paths])
    raise RuntimeError(f"cell paths not stored: {sorted(p for p in paths if p not in known.code)[:3]}")


def path_list(conn: Connection, data: bytes | None) -> list[str]:
    """The paths of a stored ``codes`` array."""
    known = codes(conn)
    cs = _array("H", data)
    if cs and max(cs) >= len(known.path):
        known = codes(conn, reload=True)
    return [known.path[c] for c in cs]


# --------------------------------------------------------------------------- writing


INSERT = f"INSERT INTO cell_packs ({', '.join(PACK_COLUMNS)}) VALUES ({', '.join('?' * len(PACK_COLUMNS))})"


def row(conn: Connection, report_id: int, b: Body) -> tuple:
    """The ``cell_packs`` row of a report (:data:`PACK_COLUMNS`)."""
    data = b.codes if b.codes is not None and _template_codes_hold(conn) else code_bytes(conn, b.paths)
    return (report_id, len(b.vals) // 8, data, b.vals, b.read_vals, b.raws, b.lines, b.pages)


def _template_codes_hold(conn: Connection) -> bool:
    """Whether the database codes the templates' paths as :func:`template_codes` does (a database
    made when the templates had other paths may not: its codes are then looked up)."""
    info = conn.connection.info
    found = info.get("nianbao_codes_hold")
    if found is None:
        known = codes(conn)
        found = info["nianbao_codes_hold"] = all(known.code.get(p) == c for p, c in template_codes().items())
    return found


def insert(conn: Connection, report_id: int, b: Body) -> None:
    raw(conn).run(INSERT, row(conn, report_id, b))


def replace(conn: Connection, report_id: int, b: Body) -> None:
    """Write a report's cells in place of those it had."""
    delete(conn, report_id)
    insert(conn, report_id, b)


def delete(conn: Connection, report_id: int) -> None:
    raw(conn).run("DELETE FROM cell_packs WHERE report_id = ?", (report_id,))


def set_values(conn: Connection, report_id: int, values: dict[str, float | int | None]) -> None:
    """Put values in force in a report's cells (a person's corrections): a cell's value as read
    stays as it was; a cell the report did not have is added, with no value as read."""
    cells = {c.path: c for c in cells_of(conn, report_id)}
    for path, value in values.items():
        c = cells.get(path)
        if c is None:
            cells[path] = Cell(path, value, None, None, None, None)
        else:
            c.value = value
    replace(conn, report_id, body((c.path, c.value, c.raw, c.line, c.page, c.read_value) for c in cells.values()))


# --------------------------------------------------------------------------- reading


@dataclass
class Cell:
    path: str
    value: float | None
    read_value: float | None
    raw: str | None
    line: int | None
    page: int | None


def _value(x: float) -> float | None:
    return None if math.isnan(x) else x


def decode(conn: Connection, n, codes_data, vals, read_vals, raws, lines, pages) -> list[Cell]:
    """The cells of one stored row (its columns but ``report_id``), in path order."""
    if not n:
        return []
    paths = path_list(conn, codes_data)
    vs = [_value(x) for x in _array("d", vals)]
    rs = [_value(x) for x in _array("d", read_vals)] if read_vals is not None else vs
    ts = [None if t == NO_RAW else t for t in raws.split(SEP)]
    ls = [None if x == NONE else x for x in _array("i", lines)]
    ps = [None if x == NONE else x for x in _array("i", pages)]
    return [Cell(*c) for c in zip(paths, vs, rs, ts, ls, ps)]


SELECT = f"SELECT {', '.join(PACK_COLUMNS)} FROM cell_packs"


def cells_of(conn: Connection, report_id: int) -> list[Cell]:
    """One report's cells, in path order (none: an empty list)."""
    found = raw(conn).first(SELECT + " WHERE report_id = ?", (report_id,))
    return decode(conn, *found[1:]) if found is not None else []


def values_of(
    conn: Connection, report_ids: Iterable[int], paths: Iterable[str] | None = None, *, read: bool = False,
    chunk: int = 500,
) -> dict[int, dict[str, float | None]]:
    """Values of many reports: report id → {path: value in force (``read``: as read)}, only the
    given ``paths`` when some are given. Reports without cells are left out."""
    wanted = set(paths) if paths is not None else None
    ids = sorted(set(report_ids))
    out: dict[int, dict[str, float | None]] = {}
    r = raw(conn)
    column = "COALESCE(read_vals, vals)" if read else "vals"
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        for rid, data, vals in r.all(
            f"SELECT report_id, codes, {column} FROM cell_packs WHERE report_id IN ({r.in_list(len(part))})", part
        ):
            ps = path_list(conn, data)
            vs = _array("d", vals)
            if wanted is None:
                out[rid] = {p: _value(v) for p, v in zip(ps, vs)}
            else:
                out[rid] = {p: _value(v) for p, v in zip(ps, vs) if p in wanted}
    return out


def arrays(rows: Sequence[Sequence]) -> tuple:
    """Many packs at once as numpy arrays, one element per cell, without a Python object per cell:
    (report ids, codes, values with NaN for none) of ``(report_id, codes, vals)`` rows — ``vals``
    or ``read_vals`` or ``COALESCE(read_vals, vals)``, as the caller selected. Cells stay in the
    rows' order, each report's in path order."""
    import numpy as np

    sizes = [len(r[1]) // 2 for r in rows]
    ids = np.repeat(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)), sizes)
    codes_ = np.frombuffer(b"".join([bytes(r[1]) for r in rows]), dtype="<u2")
    vals = np.frombuffer(b"".join([bytes(r[2]) for r in rows]), dtype="<f8")
    return ids, codes_, vals


def code_of(conn: Connection, paths: Iterable[str]) -> dict[str, int]:
    """The codes of some paths (a path never stored has no code and is left out)."""
    known = codes(conn, reload=True)
    return {p: known.code[p] for p in paths if p in known.code}


def count(conn: Connection, report_id: int) -> int:
    """How many cells a report has."""
    return raw(conn).scalar("SELECT n FROM cell_packs WHERE report_id = ?", (report_id,)) or 0


__all__ = [
    "Body", "Cell", "Codes", "PACK_COLUMNS", "arrays", "body", "code_of", "cells_of", "code_bytes", "codes", "count", "decode", "delete",
    "insert", "path_list", "replace", "row", "set_values", "template_paths", "values_of",
]
