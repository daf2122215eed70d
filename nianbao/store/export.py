"""``nianbao export``: the corpus as tables for analysis.

Shapes:
- ``wide``: one row per report, every cell a column (keys, or Chinese labels with
  ``chinese_headers``), plus the metrics;
- ``long``: one row per cell (report, path, label, value, raw text, line, page);
- ``findings``: one row per finding.
The web's 导出 (``/export/reports|cells|findings``) writes the same shapes with the same columns,
scoped by the list's filters (``scope``: a :class:`nianbao.store.query.Filters`).
Formats: CSV (UTF-8 with BOM, which Excel opens correctly), Excel (xlsxwriter: formatted, header
frozen, autofilter) and Parquet (pyarrow, optional). Rows are streamed from the database.

The wide and long shapes in CSV and Parquet (:data:`COLUMNAR`) are written from columns, a range of
reports at a time, without a Python object per cell: the cells read as Arrow tables
(:mod:`nianbao.store.cell_reader`), the wide shape placed in a matrix (:mod:`nianbao.store.wide_arrow`),
CSV lines made by :mod:`nianbao.store.csv_arrow`. They hold exactly what the row-by-row
:func:`wide_rows` and :func:`long_rows` give (those still feed Excel; the tests compare the two).

:func:`write_csv` and :func:`write_xlsx` are the one way a table becomes a spreadsheet, for
``nianbao export`` and the web's 导出 alike: numbers stay numbers (written as
:func:`nianbao.numbers.format_number` writes them), and a text cell beginning with ``=``, ``+``,
``-`` or ``@`` is neutralised with a leading apostrophe so that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import IO, Iterable, Iterator

from sqlalchemy import select

from ..errors import NianbaoError, StoreError
from ..metrics import METRICS
from ..model import Report
from ..numbers import format_number
from ..template import all_cells, cell_label, request_cells
from . import schema as S
from .db import Store
from .queries import _filtered, _num, iter_findings

SHAPES = ("wide", "long", "findings")
FORMATS = ("csv", "xlsx", "parquet")

# every cell column, in the official order (2021 first, then what only 2019 has)
CELL_COLUMNS: list[str] = []
for _c in [*all_cells("2021"), *request_cells("2021", other_split=False), *all_cells("2019")]:
    if _c.path not in CELL_COLUMNS:
        CELL_COLUMNS.append(_c.path)

META_COLUMNS = [
    ("report_id", "报告编号"), ("agency", "机关"), ("agency_printed", "报告所写机关"), ("kind", "机关类别"),
    ("province", "省"), ("city", "市"), ("county", "县"), ("township", "乡镇"), ("year", "年度"),
    ("template", "格式版本"), ("published", "发布日期"), ("status", "状态"), ("reading", "读取状态"), ("errors", "错误数"),
    ("warnings", "警告数"), ("path", "文件"), ("sha256", "sha256"),
]
LONG_COLUMNS = [
    ("report_id", "报告编号"), ("agency", "机关"), ("year", "年度"), ("path", "单元格"), ("label", "单元格名称"),
    ("value", "数值"), ("raw", "原文"), ("line", "行号"), ("page", "页码"),
]
FINDING_COLUMNS = [
    ("report_id", "报告编号"), ("agency", "机关"), ("year", "年度"), ("rule", "规则"), ("severity", "级别"),
    ("message", "说明"), ("cells", "单元格"), ("cell_labels", "单元格名称"), ("expected", "应为"), ("actual", "实为"),
    ("origin", "来源"),
    ("other_report_id", "对照报告编号"), ("file", "文件"), ("id", "问题编号"), ("state", "处理状态"),
    ("review_by", "处理人"), ("review_note", "处理说明"),
]


class ParquetUnavailable(NianbaoError):
    code = "parquet_unavailable"


class ExcelTooLarge(NianbaoError):
    code = "excel_too_large"


def _excel_max_rows() -> int:
    # the one limit, in bulk.py beside the web's downloads that refuse at it (bulk imports this module)
    from . import bulk

    return bulk.EXCEL_MAX_ROWS


def excel_too_large(path: str, rows: int | None, limit: int) -> ExcelTooLarge:
    many = f"共 {rows} 行，" if rows is not None else "行数"
    return ExcelTooLarge(
        f"{path}: {many}超过 Excel 一张工作表的上限（{limit} 行），未导出（没有写入文件）；"
        "请导出为 CSV 或 Parquet，或按年度、地区分批导出", path)


def _refuse_large_excel(store: Store, out, shape: str, filters: dict, scope) -> None:
    """An Excel sheet holds :data:`bulk.EXCEL_MAX_ROWS` data rows; past them xlsxwriter drops rows
    without a word. Counted before anything is written; :func:`write_xlsx` stops at the limit too
    (the corpus may grow meanwhile, and a severity filter of findings is not counted here)."""
    from . import bulk

    if shape not in SHAPES or (shape == "findings" and filters.get("severity")):
        return
    n = bulk.count(store, shape, scope=scope, **filters)
    if n > bulk.EXCEL_MAX_ROWS:
        raise excel_too_large(str(out), n, bulk.EXCEL_MAX_ROWS)


def _scoped(q, filters: dict, scope):
    """A query over reports (joined to agencies) narrowed by the simple filters and the scope."""
    q = _filtered(q, **filters)
    return q.where(*scope.where()) if scope is not None else q


def _report_rows(store: Store, filters: dict, scope=None):
    r, a = S.reports, S.agencies
    q = select(
        r.c.id, r.c.agency_raw, r.c.year, r.c.template, r.c.published, r.c.status, r.c.reading, r.c.n_errors, r.c.n_warnings,
        r.c.path, r.c.sha256, r.c.model, a.c.name, a.c.kind, a.c.province, a.c.city, a.c.county, a.c.township,
    ).select_from(r.outerjoin(a, r.c.agency_id == a.c.id))
    q = _scoped(q, filters, scope).order_by(r.c.id)
    with store.engine.connect().execution_options(stream_results=True, yield_per=500) as conn:
        yield from conn.execute(q)


def _meta(row) -> list:
    return [
        row.id, row.name, row.agency_raw, row.kind, row.province, row.city, row.county, row.township, row.year,
        row.template, row.published, row.status, row.reading, row.n_errors, row.n_warnings, row.path, row.sha256,
    ]


def wide_rows(store: Store, filters: dict, scope=None) -> Iterator[list]:
    for row in _report_rows(store, filters, scope):
        report = Report.model_validate_json(row.model) if row.model else None
        cells = [_num(report.get(p)) if report is not None and report.has(p) else None for p in CELL_COLUMNS]
        metrics = [m.compute(report) if report is not None else None for m in METRICS]
        yield _meta(row) + cells + metrics


def wide_header(chinese: bool) -> list[str]:
    meta = [zh if chinese else key for key, zh in META_COLUMNS]
    cells = [cell_label(p) if chinese else p for p in CELL_COLUMNS]
    metrics = [m.label if chinese else m.key for m in METRICS]
    return meta + cells + metrics


def wide_csv_chunks(store: Store, header: list[str], filters: dict, scope=None, progress=None) -> Iterator[bytes]:
    """The wide shape as the bytes of a CSV file (BOM, header, then the lines of a range of reports
    at a time), built from the packed cells by :mod:`nianbao.store.wide_arrow`, as :func:`write_csv`
    writes :func:`wide_rows`."""
    from .csv_arrow import lines
    from .wide_arrow import wide_columns

    yield BOM + _csv_header(header)
    for arrays, kinds in wide_columns(store, filters, scope):
        yield bytes(lines(arrays, kinds))
        if progress is not None:
            progress(len(arrays[0]))


def _wide_parquet(store: Store, out, header: list[str], filters: dict, scope, progress) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .wide_arrow import parquet_arrays, wide_columns

    types = column_types("wide")
    arrow = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    schema = pa.schema([(h, arrow[t]) for h, t in zip(header, types)])
    n = 0
    with pq.ParquetWriter(out if hasattr(out, "write") else str(out), schema) as writer:
        for arrays, _ in wide_columns(store, filters, scope):
            writer.write_table(pa.Table.from_arrays(parquet_arrays(arrays, types), schema=schema))
            n += len(arrays[0])
            if progress is not None:
                progress(len(arrays[0]))
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def _csv_header(header: list[str]) -> bytes:
    head = io.StringIO()
    csv.writer(head).writerow([safe_text(h) for h in header])
    return head.getvalue().encode("utf-8")


def long_rows(store: Store, filters: dict, scope=None) -> Iterator[list]:
    """The long shape row by row (Excel; the reference of the tests): each report's pack decoded
    in Python by :func:`nianbao.store.cellpack.decode`, reports in id order, cells in path order."""
    from . import cellpack

    r, a, p = S.reports, S.agencies, S.cell_packs
    q = (
        select(r.c.id, a.c.name, r.c.agency_raw, r.c.year, p.c.n, p.c.codes, p.c.vals, p.c.read_vals, p.c.raws,
               p.c.lines, p.c.pages)
        .select_from(p.join(r, p.c.report_id == r.c.id).outerjoin(a, r.c.agency_id == a.c.id))
        .order_by(r.c.id)
    )
    q = _scoped(q, filters, scope)
    with store.engine.connect() as conn:
        cellpack.codes(conn, reload=True)  # before the stream: decode reads them again only for a newer code
        for row in conn.execution_options(stream_results=True, yield_per=200).execute(q):
            agency = row.name or row.agency_raw
            for c in cellpack.decode(conn, *row[4:]):
                yield [row.id, agency, row.year, c.path, cell_label(c.path), _num(c.value), c.raw, c.line, c.page]


def _long_reports(store: Store, filters: dict, scope):
    """The reports a long export covers: (sorted ids, agency shown, year), as arrays."""
    import numpy as np
    import pyarrow as pa

    r, a = S.reports, S.agencies
    q = _scoped(select(r.c.id, a.c.name, r.c.agency_raw, r.c.year).select_from(r.outerjoin(a, r.c.agency_id == a.c.id)),
                filters, scope).order_by(r.c.id)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    agency = pa.array([row[1] or row[2] for row in rows], pa.string())
    year = pa.array([row[3] for row in rows], pa.int64())
    return ids, agency, year


_LABELS: dict[str, str] = {p: cell_label(p) for p in CELL_COLUMNS}


def _labels(paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        label = _LABELS.get(p)
        if label is None:
            label = _LABELS[p] = cell_label(p) if p else ""
        out.append(label)
    return out


def long_columns(store: Store, filters: dict, scope=None, *, dictionary: bool = False, csv_fields: bool = False,
                 use_adbc: bool | None = None):
    """The long shape as pyarrow tables of :data:`LONG_COLUMNS` (keys), a range of reports at a
    time, in the order of :func:`long_rows` (report, then cell path). The cells come from
    :func:`nianbao.store.cell_reader.cell_tables` as columns; agency and year are taken from the
    reports' arrays by position, the label looked up once per distinct path.
    ``dictionary``: agency, path and label as dictionary arrays (their distinct values once).
    ``csv_fields``: for CSV, the first five columns as two columns of CSV fields made once per
    report ("report_id,agency,year") and once per path ("path,label"), then value, raw, line, page."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .cell_reader import cell_tables

    ids, agency, year = _long_reports(store, filters, scope)
    agency_enc = agency.dictionary_encode()
    names = [k for k, _ in LONG_COLUMNS]
    from .csv_arrow import number_column, text_column

    if csv_fields:
        report_fields = pc.binary_join_element_wise(number_column(pa.array(ids)), text_column(agency),
                                                    number_column(year), ",")

    by_paths: dict = {}  # the paths' labels (and CSV fields), once per dictionary of paths

    def of_paths(dictionary):
        key = len(dictionary)  # codes only grow: a dictionary is known by its length
        found = by_paths.get(key)
        if found is None:
            names_ = pc.fill_null(dictionary, "")  # a code without a path is never used (cell_reader checks)
            label = pa.array(_labels(names_.to_pylist()), pa.string())
            fields = pc.binary_join_element_wise(text_column(names_), text_column(label), ",") if csv_fields else None
            found = by_paths[key] = (names_, label, fields)
        return found

    def shape(t):
        if t.num_rows == 0:
            return t
        t = t.combine_chunks()
        rid = t.column(0).chunk(0)
        where = pa.array(np.searchsorted(ids, rid.to_numpy()))
        enc = t.column(1).chunk(0)  # indices: the paths' codes
        paths, label, path_fields = of_paths(enc.dictionary)
        if csv_fields:
            return pa.Table.from_arrays([report_fields.take(where), path_fields.take(enc.indices), *t.columns[2:]],
                                        names=["report", "cell", *names[5:]])
        if dictionary:
            cols = [pa.DictionaryArray.from_arrays(agency_enc.indices.take(where), agency_enc.dictionary),
                    pa.DictionaryArray.from_arrays(enc.indices, paths), pa.DictionaryArray.from_arrays(enc.indices, label)]
        else:
            cols = [agency.take(where), paths.take(enc.indices), label.take(enc.indices)]
        return pa.Table.from_arrays([rid, cols[0], year.take(where), cols[1], cols[2], *t.columns[2:]], names=names)

    for t in cell_tables(store, ids, then=shape, use_adbc=use_adbc):
        if t.num_rows:
            yield t


def _long_parquet(store: Store, out, header: list[str], filters: dict, scope, progress) -> int:
    """The long shape as Parquet: agency, path and label handed to the writer as dictionaries (it
    writes them dictionary-encoded without hashing every value); the Arrow schema is not stored in
    the file, so a reader gets them back as plain text columns, as before."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    plain = pa.schema([(h, types[t]) for h, t in zip(header, column_types("long"))])
    coded = {1, 3, 4}  # agency, path, label
    schema = pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), pa.string()) if i in coded else f.type)
                        for i, f in enumerate(plain)])
    n = 0
    with pq.ParquetWriter(out if hasattr(out, "write") else str(out), schema, store_schema=False) as writer:
        for t in long_columns(store, filters, scope, dictionary=True):
            writer.write_table(pa.Table.from_arrays(t.columns, schema=schema))
            n += t.num_rows
            if progress is not None:
                progress(t.num_rows)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


LONG_CSV_KINDS = ["fields", "fields", "number", "text", "number", "number"]  # long_columns(csv_fields=True)


def long_csv_chunks(store: Store, header: list[str], filters: dict, scope=None, progress=None) -> Iterator[bytes]:
    """The long shape as the bytes of a CSV file (BOM, header, then the lines of a range of reports
    at a time), made from the columns by :func:`nianbao.store.csv_arrow.lines` as :func:`write_csv`
    writes them."""
    from .csv_arrow import lines

    yield BOM + _csv_header(header)
    for t in long_columns(store, filters, scope, csv_fields=True):  # the fields made in the reading threads
        yield bytes(lines([c.combine_chunks() for c in t.columns], LONG_CSV_KINDS))
        if progress is not None:
            progress(t.num_rows)


def _write_chunks(f: IO[bytes], chunks: Iterator[bytes], progress) -> int:
    n = 0

    def count(k: int) -> None:
        nonlocal n
        n += k
        if progress is not None:
            progress(k)

    for chunk in chunks(count):
        f.write(chunk)
    return n


COLUMNAR = {  # (shape, format) written from columns: CSV chunks, Parquet writer
    ("long", "csv"): long_csv_chunks, ("long", "parquet"): _long_parquet,
    ("wide", "csv"): wide_csv_chunks, ("wide", "parquet"): _wide_parquet,
}


def _columnar(store: Store, shape: str, fmt: str, target, header: list[str], filters: dict, scope, progress) -> int:
    """Write a shape from columns to ``target`` (a path or a binary file); returns the rows."""
    make = COLUMNAR[(shape, fmt)]
    try:
        if fmt == "csv":
            chunks = lambda count: make(store, header, filters, scope, count)  # noqa: E731
            if hasattr(target, "write"):
                return _write_chunks(target, chunks, progress)
            with open(target, "wb") as f:
                return _write_chunks(f, chunks, progress)
        return make(store, target, header, filters, scope, progress)
    except ImportError as e:
        raise ParquetUnavailable("导出 Parquet 需要安装 pyarrow（pip install 'nianbao[parquet]'）") from e


def download(store: Store, shape: str, fmt: str, chinese_headers: bool, *, scope=None, target=None, **filters):
    """The wide or long shape for the web's 导出: CSV as an iterator of bytes; Parquet written to
    ``target`` (a path), returning the number of rows. The same bytes as :func:`export` writes."""
    header = wide_header(chinese_headers) if shape == "wide" else [zh if chinese_headers else k for k, zh in LONG_COLUMNS]
    filters = {k: v for k, v in filters.items() if v is not None}
    if fmt == "csv":
        return COLUMNAR[(shape, fmt)](store, header, filters, scope)
    return _columnar(store, shape, fmt, target, header, filters, scope, None)


def finding_rows(store: Store, filters: dict, scope=None) -> Iterator[list]:
    ids = None
    if scope is not None:
        r, a = S.reports, S.agencies
        q = _scoped(select(r.c.id).select_from(r.outerjoin(a, r.c.agency_id == a.c.id)), filters, scope)
        with store.engine.connect() as conn:
            ids = set(conn.execute(q).scalars())
    for f in iter_findings(store, agency=filters.get("agency"), year=filters.get("year"),
                           severity=filters.get("severity")):
        if ids is not None and f["report_id"] not in ids:
            continue
        other = f.get("other") or {}
        yield [f["report_id"], f["agency"], f["year"], f["rule"], f["severity"], f["message"],
               " ".join(f["cells"]), "；".join(cell_label(p) for p in f["cells"]), f["expected"], f["actual"],
               f["origin"], other.get("report_id"), f["source"]["path"], f.get("id"), f.get("state"),
               (f.get("review") or {}).get("by"), (f.get("review") or {}).get("note")]


def table(
    store: Store, shape: str, chinese_headers: bool = False, *, scope=None, **filters
) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of an export shape (``scope``: the web list's filters, or None)."""
    filters = {k: v for k, v in filters.items() if v is not None}
    if shape == "wide":
        return wide_header(chinese_headers), wide_rows(store, filters, scope)
    if shape == "long":
        return [zh if chinese_headers else k for k, zh in LONG_COLUMNS], long_rows(store, filters, scope)
    if shape == "findings":
        return [zh if chinese_headers else k for k, zh in FINDING_COLUMNS], finding_rows(store, filters, scope)
    raise StoreError(f"{shape}: 未知的导出形式（可用 {', '.join(SHAPES)}）")


_CELL_KIND = {c.path: c.kind for c in [*all_cells("2019"), *all_cells("2021")]}
_META_TYPES = ["int", "str", "str", "str", "str", "str", "str", "str", "int", "str", "str", "str", "str", "int", "int", "str", "str"]


def column_types(shape: str) -> list[str]:
    """The type of each column of a shape: int, float or str (for Parquet)."""
    if shape == "wide":
        cells = ["float" if _CELL_KIND.get(p) == "amount" else "int" for p in CELL_COLUMNS]
        return _META_TYPES + cells + ["float"] * len(METRICS)
    if shape == "long":
        return ["int", "str", "int", "str", "str", "float", "str", "int", "int"]
    return ["int", "str", "int", "str", "str", "str", "str", "str", "float", "float", "str", "int", "str",
            "str", "str", "str", "str"]


def format_for(path: str | Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise StoreError(f"{fmt}: 未知的导出格式（可用 {', '.join(FORMATS)}）")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("xlsx", "parquet", "csv"):
        return suffix
    raise StoreError(f"{path}: 无法从扩展名判断导出格式，请用 --format 指定（{', '.join(FORMATS)}）", str(path))


def export_total(store: Store, shape: str, scope=None, **filters) -> int | None:
    """How many rows an export will have, when cheap to know (no filter): for a progress bar."""
    if scope is not None or any(v is not None for v in filters.values()) or shape not in SHAPES:
        return None
    from sqlalchemy import func

    if shape == "long":
        q = select(func.coalesce(func.sum(S.cell_packs.c.n), 0))
    else:
        q = select(func.count()).select_from({"wide": S.reports, "findings": S.findings}[shape])
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one()


def _ticking(rows: Iterable[list], tick) -> Iterator[list]:
    for row in rows:
        yield row
        tick()


def export(
    store: Store, out: str | Path, *, shape: str = "wide", fmt: str | None = None,
    chinese_headers: bool = False, scope=None, progress=None, **filters,
) -> int:
    """Write an export file; returns the number of data rows. Filters are those of
    :func:`nianbao.store.list_reports` (agency, region, year, kind, status); ``findings`` also
    takes severity; ``scope`` is the web list's :class:`~nianbao.store.query.Filters`;
    ``progress``: called with the number of rows written (after each row, or each chunk)."""
    fmt = format_for(out, fmt)
    if fmt == "xlsx":
        _refuse_large_excel(store, out, shape, {k: v for k, v in filters.items() if v is not None}, scope)
    out = Path(out)
    # written beside it, then renamed: an export stopped halfway (Ctrl-C, a full disk, an error)
    # leaves no half-written file, and a file of that name from before as it was; a pipe,
    # /dev/stdout … (not a regular file) is written into as it goes
    direct = out.exists() and not out.is_file()
    target = out if direct else out.with_name(f".{out.stem}.part-{os.getpid()}{out.suffix}")
    try:
        n = _export_to(store, target, out, shape, fmt, chinese_headers, scope, progress, filters)
        if not direct:
            os.replace(target, out)
        return n
    except OSError as e:
        raise StoreError(f"{out}: 无法写入 ({e.strerror or e})", str(out)) from e
    finally:
        if not direct:
            target.unlink(missing_ok=True)


def _export_to(store: Store, target: Path, out: Path, shape: str, fmt: str, chinese_headers: bool, scope, progress,
               filters: dict) -> int:
    """:func:`export`'s writing, to ``target`` (``out`` is the name its messages give)."""
    header, rows = table(store, shape, chinese_headers, scope=scope, **filters)
    if (shape, fmt) in COLUMNAR:  # written from columns, a range of reports at a time
        rows.close()
        return _columnar(store, shape, fmt, target, header, {k: v for k, v in filters.items() if v is not None},
                         scope, progress)
    if progress is not None:
        rows = _ticking(rows, progress)
    if fmt == "csv":
        with open(target, "w", encoding="utf-8-sig", newline="") as f:
            return write_csv(f, header, rows)
    return _write_binary(target, fmt, shape, header, rows, str(out))


def export_bytes(store: Store, shape: str, fmt: str, *, chinese_headers: bool = True, scope=None, **filters) -> bytes:
    """An export as the bytes of a download (the web's 导出): the same shapes and columns as
    :func:`export`. CSV is UTF-8 with a BOM, which Excel on Chinese Windows opens correctly."""
    if fmt not in FORMATS:
        raise StoreError(f"{fmt}: 未知的导出格式（可用 {', '.join(FORMATS)}）")
    header, rows = table(store, shape, chinese_headers, scope=scope, **filters)
    if (shape, fmt) in COLUMNAR:
        rows.close()
        buf = io.BytesIO()
        _columnar(store, shape, fmt, buf, header, {k: v for k, v in filters.items() if v is not None}, scope, None)
        return buf.getvalue()
    if fmt == "csv":
        text = io.StringIO()
        write_csv(text, header, rows)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    buf = io.BytesIO()
    _write_binary(buf, fmt, shape, header, rows)
    return buf.getvalue()


BOM = "\ufeff".encode("utf-8")
SHEET_NAME = {"wide": "报告", "long": "单元格", "findings": "问题"}


def _write_binary(target, fmt: str, shape: str, header: list[str], rows, name: str | None = None) -> int:
    if fmt == "xlsx":
        metric_cols = set(range(len(header) - len(METRICS), len(header))) if shape == "wide" else set()
        return write_xlsx(target, SHEET_NAME[shape], header, rows, percent=metric_cols,
                          freeze_cols=2 if shape == "wide" else 0, wide={1, 2, 5}, name=name)
    return _parquet(target, header, rows, column_types(shape))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet takes for a formula


def safe_text(v: object) -> str:
    """A text cell as written: one a spreadsheet would run as a formula gets a leading apostrophe."""
    text = str(v)
    return "'" + text if text[:1] in FORMULA_START else text


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def csv_cell(v: object) -> str:
    """One CSV cell: empty for None, numbers in plain decimals, text formula-safe."""
    if v is None:
        return ""
    return format_number(v) if _is_number(v) else safe_text(v)


def write_csv(f: IO[str], header: list[str], rows: Iterable[list]) -> int:
    """Write a table as CSV to an open text file; returns the number of data rows."""
    w = csv.writer(f)
    w.writerow([safe_text(h) for h in header])
    n = 0
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
        n += 1
    return n


def write_xlsx(
    target: str | Path | IO[bytes], sheet: str, header: list[str], rows: Iterable[list], *,
    percent: set[int] = frozenset(), freeze_cols: int = 0, wide: set[int] = frozenset(), name: str | None = None,
) -> int:
    """Write a table as an Excel sheet (header bold and frozen, autofilter); returns the data rows.
    More rows than a sheet holds raise :class:`ExcelTooLarge` (a file target is then removed;
    ``name``: the file its message names, when not ``target``).

    :param percent: columns written as percentages (ratios 0–1).
    :param wide: columns given a wide width (names, messages, paths).
    """
    import xlsxwriter

    limit = _excel_max_rows()

    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    options.update({"in_memory": True} if hasattr(target, "write") else {"constant_memory": True})
    wb = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target), options)
    ws = wb.add_worksheet(sheet)
    head = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True, "valign": "top"})
    pct = wb.add_format({"num_format": "0.0%"})
    ws.freeze_panes(1, freeze_cols)
    for j, h in enumerate(header):
        ws.write_string(0, j, safe_text(h), head)
        ws.set_column(j, j, 28 if j in wide else 14, pct if j in percent else None)
    ws.set_row(0, 45)
    n = 0
    for i, row in enumerate(rows, start=1):
        if i > limit:  # xlsxwriter would drop it and the rest silently
            wb.close()  # its temporary files go; the file made of the first rows is removed
            if not hasattr(target, "write"):
                Path(target).unlink(missing_ok=True)
            raise excel_too_large(name or ("Excel 文件" if hasattr(target, "write") else str(target)), None, limit)
        for j, v in enumerate(row):
            if v is None:
                continue
            if _is_number(v):
                ws.write_number(i, j, v, pct if j in percent else None)
            else:
                ws.write_string(i, j, safe_text(v))
        n += 1
    ws.autofilter(0, 0, max(n, 1), len(header) - 1)
    wb.close()
    return n


def _parquet(out, header: list[str], rows, types: list[str]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ParquetUnavailable("导出 Parquet 需要安装 pyarrow（pip install 'nianbao[parquet]'）") from e
    arrow = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    schema = pa.schema([(h, arrow[t]) for h, t in zip(header, types)])
    cols: list[list] = [[] for _ in header]
    n = 0
    with pq.ParquetWriter(out if hasattr(out, "write") else str(out), schema) as writer:

        def flush() -> None:
            arrays = [pa.array(_coerce(c, t), type=arrow[t]) for c, t in zip(cols, types)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            for c in cols:
                c.clear()

        for row in rows:
            for j, v in enumerate(row):
                cols[j].append(v)
            n += 1
            if n % 20000 == 0:
                flush()
        if cols[0] or n == 0:
            flush()
    return n


def _coerce(values: list, t: str) -> list:
    if t == "int":
        return [None if v is None else int(v) for v in values]
    if t == "float":
        return [None if v is None else float(v) for v in values]
    return [None if v is None else str(v) for v in values]
