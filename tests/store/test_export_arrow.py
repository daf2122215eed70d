"""The columnar long export (cells read as Arrow tables, by the ADBC driver or the connection's own
cursor, a range of reports at a time) gives the rows and the bytes of the row-by-row export: the
SQLAlchemy query of ``long_rows`` written by ``write_csv`` (the reference, unchanged), over cells
with tricky text, empty values, pages and lines, several ranges and filtered (non-contiguous) ids."""

from __future__ import annotations

import csv
import io

import pytest

from nianbao import synth
from nianbao.model import Provenance
from nianbao.pipeline import add_report
from nianbao.store import cell_reader, export
from nianbao.store.export import LONG_COLUMNS, table, write_csv

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

RAW = ["a,b", 'say "x"', "two\nlines", "=SUM(A1)", "-5", "+3", "@x", "\tx", " 12 ", "１２", "", "'quoted", "x\r"]


@pytest.fixture(params=["adbc", "cursor"])
def reader(request, store, monkeypatch):
    """Which way the cells are read; ranges of 3 reports, so that a corpus spans several."""
    monkeypatch.setattr(cell_reader, "RANGE_REPORTS", 3)
    if request.param == "adbc":
        pytest.importorskip("adbc_driver_sqlite")
        if cell_reader.sqlite_file(store) is None:
            pytest.skip("the ADBC driver reads SQLite files only")
    else:
        monkeypatch.setattr(cell_reader, "adbc_available", lambda: False)
    return request.param


@pytest.fixture
def corpus(store):
    """12 reports; the first range (3 reports) has no raw text, line or page at all (the ADBC
    driver must still type those columns right later), the others tricky text and empty values."""
    c = synth.corpus(6, [2021, 2022], seed=11)
    for i, r in enumerate(c):
        if i >= 3:
            for j, (path, _) in enumerate(list(r.cells())):
                if j % 7 == 0:
                    r.set(path, None)
                r.provenance[path] = Provenance(raw=RAW[j % len(RAW)] if j % 5 else None,
                                                line=j + 1 if j % 3 else None, page=(j % 4) or None)
        add_report(store, r)
    return c


def _reference_rows(store, **filters):
    _, rows = table(store, "long", **filters)
    return [list(r) for r in rows]


def _reference_csv(store, chinese, **filters) -> bytes:
    header, rows = table(store, "long", chinese, **filters)
    f = io.StringIO(newline="")
    write_csv(f, header, rows)
    return "\ufeff".encode() + f.getvalue().encode("utf-8")


FILTERS = [{}, {"year": 2022}]


@pytest.mark.parametrize("filters", FILTERS)
def test_parquet_rows_are_the_reference_rows(store, corpus, reader, tmp_path, filters):
    out = tmp_path / "long.parquet"
    n = export(store, out, shape="long", **filters)
    t = pq.read_table(out)
    assert t.column_names == [k for k, _ in LONG_COLUMNS]
    assert [str(f.type) for f in t.schema] == ["int64", "string", "int64", "string", "string", "double", "string",
                                               "int64", "int64"]
    expected = _reference_rows(store, **filters)
    assert n == t.num_rows == len(expected) > 0
    assert [list(r) for r in zip(*(t.column(k).to_pylist() for k in t.column_names))] == expected


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("chinese", [False, True])
def test_csv_bytes_are_the_reference_bytes(store, corpus, reader, tmp_path, filters, chinese):
    out = tmp_path / "long.csv"
    n = export(store, out, shape="long", chinese_headers=chinese, **filters)
    got = out.read_bytes()
    assert got == _reference_csv(store, chinese, **filters)
    assert n == len(_reference_rows(store, **filters))


def test_tricky_cells_come_out_as_written(store, corpus, reader, tmp_path):
    """Checked by hand against the fixture: report 4's first cell has no raw text (j=0), its second
    (j=1) raw 'say "x"', line 2, page 1; a raw '=SUM(A1)' becomes "'=SUM(A1)" in CSV only."""
    r = corpus.reports[3]
    paths = sorted(p for p, _ in r.cells())
    cells = list(r.cells())
    second = cells[1][0]
    out = tmp_path / "long.parquet"
    export(store, out, shape="long")
    rows = [x for x in pq.read_table(out).to_pylist() if x["report_id"] == 4]
    assert [x["path"] for x in rows] == paths
    by_path = {x["path"]: x for x in rows}
    assert by_path[second]["raw"] == 'say "x"'
    assert (by_path[second]["line"], by_path[second]["page"]) == (2, 1)
    assert by_path[cells[0][0]]["value"] is None and by_path[cells[0][0]]["raw"] is None
    formula = cells[4][0]  # j=4: RAW[4] is "-5"
    assert by_path[formula]["raw"] == "-5"
    csv_out = tmp_path / "long.csv"
    export(store, csv_out, shape="long")
    with open(csv_out, encoding="utf-8-sig", newline="") as f:
        lines = [x for x in csv.reader(f) if x[0] == "4"]
    (line,) = [x for x in lines if x[3] == formula]
    assert line[6] == "'-5"
    (line,) = [x for x in lines if x[3] == cells[2][0]]
    assert line[6] == "two\nlines"


def test_a_range_of_reports_is_one_table_in_key_order(store, corpus, reader):
    import numpy as np

    ids = np.array([1, 2, 3, 4, 5, 7, 8], dtype=np.int64)
    tables = list(cell_reader.cell_tables(store, ids, size=3))
    assert len(tables) == 3  # [1 2 3] [4 5 7] [8]
    assert [sorted(set(t.column("report_id").to_pylist())) for t in tables] == [[1, 2, 3], [4, 5, 7], [8]]
    rows = [(a, b) for t in tables for a, b in zip(t.column("report_id").to_pylist(), t.column("path").to_pylist())]
    assert rows == sorted(rows)
    want = sum(1 for i in ids for _ in corpus.reports[i - 1].cells())
    assert len(rows) == want


def test_no_reports_no_tables(store, reader):
    import numpy as np

    assert list(cell_reader.cell_tables(store, np.array([], dtype=np.int64))) == []


@pytest.mark.parametrize("params", [{}, {"year": 2021}, {"q": "x"}])
def test_the_webs_long_downloads_are_the_reference(store, store_url, corpus, reader, tmp_path, params):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from nianbao.serve.app import create_app
    from nianbao.store.query import Filters

    agency = corpus.reports[4].meta.agency
    if "q" in params:
        params = {"q": agency}  # the list page's search: a scope, not a plain filter
    c = TestClient(create_app(store_url))
    resp = c.get("/export/cells.csv", params=params)
    assert resp.status_code == 200, resp.text
    filters = {"year": params.get("year")}
    scope = Filters(q=agency) if "q" in params else None
    header, rows = table(store, "long", True, scope=scope, **filters)
    f = io.StringIO(newline="")
    expected = write_csv(f, header, rows)
    assert resp.content == "\ufeff".encode() + f.getvalue().encode("utf-8")
    assert expected > 0
    if "q" in params:
        assert {r[1] for r in csv.reader(io.StringIO(f.getvalue()))} - {"机关"} == {agency}
    resp = c.get("/export/cells.parquet", params={**params, "headers": "keys"})
    assert resp.status_code == 200, resp.text
    (tmp_path / "c.parquet").write_bytes(resp.content)
    t = pq.read_table(tmp_path / "c.parquet")
    _, rows = table(store, "long", scope=scope, **filters)
    assert [list(r) for r in zip(*(t.column(k).to_pylist() for k in t.column_names))] == [list(r) for r in rows]


def test_when_the_driver_cannot_open_the_file_the_cursor_reads_it(store, corpus, tmp_path, monkeypatch):
    pytest.importorskip("adbc_driver_sqlite")
    if cell_reader.sqlite_file(store) is None:
        pytest.skip("the ADBC driver reads SQLite files only")
    monkeypatch.setattr(cell_reader, "_uri", lambda path: (tmp_path / "nowhere" / "x.db").as_uri() + "?mode=rw")
    used = []
    real = cell_reader._cursor_tables
    monkeypatch.setattr(cell_reader, "_cursor_tables", lambda store, parts: used.append(len(parts)) or real(store, parts))
    out = tmp_path / "long.csv"
    export(store, out, shape="long")
    assert used and out.read_bytes() == _reference_csv(store, False)
