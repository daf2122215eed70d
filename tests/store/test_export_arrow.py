"""The columnar long export (the packed cells of ``cell_packs`` read as Arrow tables, by the ADBC
driver or the connection's own cursor, a range of reports at a time, and unpacked with numpy and
Arrow) gives the rows and the bytes of the row-by-row export: ``long_rows`` (each report's pack
decoded in Python by ``cellpack.decode``) written by ``write_csv``, the reference; over cells with
tricky text, empty values, pages and lines, corrected values (one of a cell without provenance, one
of a cell the report did not have), several ranges and filtered (non-contiguous) ids. The cells are
also checked one by one against the reports as generated, and the exports against a database
without the ``cells`` table."""

from __future__ import annotations

import csv
import io

import pytest

from nianbao import synth
from nianbao.corrections import correct
from nianbao.model import Provenance
from nianbao.pipeline import add_report
from nianbao.store import cell_reader, export
from nianbao.store.export import LONG_COLUMNS, table, write_csv

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

RAW = ["a,b", 'say "x"', "two\nlines", "=SUM(A1)", "-5", "+3", "@x", "\tx", " 12 ", "１２", "", "'quoted", "x\r"]
ADDED = ("requests", "new_received", "research")  # removed from report 5 before it is stored, then corrected to 9


def _cell(r, j):
    """The path of the j-th cell of a generated report (in the report's own order)."""
    return list(r.cells())[j][0]


@pytest.fixture
def corpus(store):
    """12 reports; the first range (3 reports) has no raw text, line or page at all (the ADBC
    driver must still type those columns right later), the others tricky text and empty values.
    Report 5 is corrected: its cell j=1 (raw 'say "x"') to 7, its cell j=5 (no raw text) to 42, and
    the cell ADDED, which it did not have, to 9."""
    c = synth.corpus(6, [2021, 2022], seed=11)
    for i, r in enumerate(c):
        if i >= 3:
            for j, (path, _) in enumerate(list(r.cells())):
                if j % 7 == 0:
                    r.set(path, None)
                r.provenance[path] = Provenance(raw=RAW[j % len(RAW)] if j % 5 else None,
                                                line=j + 1 if j % 3 else None, page=(j % 4) or None)
        if i == 4:
            table_, row, col = ADDED
            del getattr(r.tables, table_)[row][col]
            r.provenance.pop(f"tables.{table_}.{row}.{col}", None)
        add_report(store, r)
    r5 = c.reports[4]
    correct(store, 5, [(_cell(r5, 1), "7"), (_cell(r5, 5), "42"), ("tables." + ".".join(ADDED), "9")], note="t", by="t")
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
    want = sum(1 for i in ids for _ in corpus.reports[i - 1].cells()) + 1  # report 5's cell added by correction
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
    monkeypatch.setattr(cell_reader, "_cursor_tables",
                        lambda store, parts, columns: used.append(len(parts)) or real(store, parts, columns))
    out = tmp_path / "long.csv"
    export(store, out, shape="long")
    assert used and out.read_bytes() == _reference_csv(store, False)


def _as_generated(corpus):
    """Every cell of the corpus as stored, from the generated reports (not from the store): report
    id → {path: (value, raw, line, page)}, report 5's corrections applied by hand."""
    out = {}
    for i, r in enumerate(corpus.reports, start=1):
        cells = {}
        for path, value in r.cells():
            p = r.provenance.get(path)
            cells[path] = (value, p.raw if p else None, p.line if p else None, p.page if p else None)
        out[i] = cells
    r5 = out[5]
    j1, j5 = _cell(corpus.reports[4], 1), _cell(corpus.reports[4], 5)
    assert r5[j1][1:] == ('say "x"', 2, 1) and r5[j5][1:] == (None, 6, 1)  # as the fixture made them
    r5[j1] = (7, *r5[j1][1:])
    r5[j5] = (42, *r5[j5][1:])
    r5["tables." + ".".join(ADDED)] = (9, None, None, None)
    return out


def test_every_cell_is_the_generated_reports_own(store, corpus, reader, tmp_path):
    """Not compared with another reading of the store: each row of the long Parquet file is the
    cell of the generated report it names, in (report, path) order."""
    out = tmp_path / "long.parquet"
    n = export(store, out, shape="long")
    rows = pq.read_table(out).to_pylist()
    want = _as_generated(corpus)
    assert n == len(rows) == sum(len(c) for c in want.values()) == 2386  # 11 reports of 200 cells and one of 186 as generated
    assert [(x["report_id"], x["path"]) for x in rows] == sorted((i, p) for i, c in want.items() for p in c)
    got = {}
    for x in rows:
        got.setdefault(x["report_id"], {})[x["path"]] = (x["value"], x["raw"], x["line"], x["page"])
    assert got == want
    years = {i: r.meta.year for i, r in enumerate(corpus.reports, start=1)}
    assert all(x["year"] == years[x["report_id"]] for x in rows)


def test_the_exports_read_no_cells_table(store, corpus, tmp_path):
    """The schema has no ``cells`` table (migration 0013): every export of cells reads the packs."""
    from sqlalchemy import inspect

    from nianbao.store import bulk
    from nianbao.store.export import export_total

    assert "cells" not in inspect(store.engine).get_table_names()
    rows = _reference_rows(store)  # what Excel is written from
    from nianbao.store.query import Filters

    agency = corpus.reports[4].meta.agency
    counts = (bulk.count(store, "long"), bulk.count(store, "long", year=2022), export_total(store, "long"),
              bulk.count(store, "long", scope=Filters(q=agency)))
    assert len(rows) == 2386
    assert counts[0] == counts[2] == 2386  # 11 reports of 200 cells and one of 186 as generated
    assert counts[1] == 1200  # the 2022 reports (even ids) have 200 cells each
    assert [r.meta.agency == agency for r in corpus.reports].count(True) == 2
    assert counts[3] == 400  # reports 5 and 6, of 200 cells each (report 5: one removed, one added)


def test_a_pack_that_does_not_hold_its_cells_is_an_error(store, corpus, reader, tmp_path):
    """A pack whose raw texts are one fewer than its cells is named, never exported misplaced."""
    from sqlalchemy import text

    from nianbao.errors import StoreError
    from nianbao.store.cellpack import SEP

    with store.engine.begin() as conn:
        raws = conn.execute(text("SELECT raws FROM cell_packs WHERE report_id = 4")).scalar_one()
        conn.execute(text("UPDATE cell_packs SET raws = :r WHERE report_id = 4"), {"r": raws[:raws.rindex(SEP)]})
    with pytest.raises(StoreError, match="cell_packs"):
        export(store, tmp_path / "long.csv", shape="long")
