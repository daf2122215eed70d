"""The wide export built from the packed cells as arrays (CSV, Parquet) holds what the row-by-row
export builds from each report's stored model (``wide_rows``, the reference, unchanged): the same
bytes in CSV, the same rows in Parquet; corrections (one of a cell the report did not have), an
unreadable report, empty cells, reports with fewer cells than others, several ranges of reports,
filters and the list's scope included."""

from __future__ import annotations

import io

import pytest

from nianbao import synth
from nianbao.corrections import correct
from nianbao.pipeline import add_report, ingest
from nianbao.store import export
from nianbao.store.export import _parquet, column_types, table, write_csv
from nianbao.template import rq

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

MISSING = "tables.requests.new_received.research"


@pytest.fixture
def corpus(store, tmp_path):
    """10 generated reports (two with empty cells, one with a zero denominator, two without the
    cell MISSING), an unreadable file between them (id 6), a correction of report 2 and one of
    report 4 giving it the cell MISSING."""
    c = synth.corpus(5, [2021, 2022], seed=23)
    reports = list(c)
    reports[0].set(rq("granted"), None)  # the disclosure rates of report 1: empty
    reports[2].set(rq("processed_total"), 0)  # a zero denominator: every rate of report 3 empty
    for r in (reports[0], reports[3]):  # reports 1 and 4: one cell fewer than the others
        del r.tables.requests["new_received"]["research"]
        r.provenance.pop(MISSING, None)
    for r in reports[:5]:
        add_report(store, r)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert [x.status for x in ingest(store, [bad], workers=1)] == ["failed"]
    for r in reports[5:]:
        add_report(store, r)
    correct(store, 2, [(rq("granted"), "7")], note="test", by="t")
    correct(store, 4, [(MISSING, "9")], note="test", by="t")
    return reports


def _reference(store, chinese=False, scope=None, **filters):
    return table(store, "wide", chinese, scope=scope, **filters)


SCOPES = [({}, None), ({"year": 2022}, None), ({}, "scope")]


def _scope(which, corpus):
    from nianbao.store.query import Filters

    return Filters(q=corpus[3].meta.agency) if which else None


@pytest.mark.parametrize("filters,which", SCOPES)
@pytest.mark.parametrize("chinese", [False, True])
def test_wide_csv_bytes_are_the_reference_bytes(store, corpus, reader, tmp_path, filters, which, chinese):
    scope = _scope(which, corpus)
    out = tmp_path / "wide.csv"
    if scope is None:
        n = export(store, out, shape="wide", chinese_headers=chinese, **filters)
        got = out.read_bytes()
    else:
        from nianbao.store.export import wide_csv_chunks, wide_header

        got = b"".join(wide_csv_chunks(store, wide_header(chinese), filters, scope))
        n = None
    header, rows = _reference(store, chinese, scope, **filters)
    f = io.StringIO(newline="")
    m = write_csv(f, header, rows)
    assert got == "\ufeff".encode() + f.getvalue().encode("utf-8")
    assert m == (2 if scope is not None else 11 if not filters else 5)  # the scope: one agency, two years
    assert n in (None, m)


@pytest.mark.parametrize("filters", [{}, {"year": 2021}])
def test_wide_parquet_rows_are_the_reference_rows(store, corpus, reader, tmp_path, filters):
    out = tmp_path / "wide.parquet"
    n = export(store, out, shape="wide", **filters)
    header, rows = _reference(store, **filters)
    ref = tmp_path / "ref.parquet"
    assert _parquet(str(ref), header, rows, column_types("wide")) == n
    got, want = pq.read_table(out), pq.read_table(ref)
    assert got.schema == want.schema
    assert got.to_pylist() == want.to_pylist()


def test_wide_cells_by_hand(store, corpus, reader, tmp_path):
    """Report 2's 予以公开 is the corrected 7; report 1 has no MISSING, report 4 the 9 a correction
    gave it; report 1's disclosure rate is empty (its 予以公开 is);
    report 3 has no rates (办理结果总计 is 0); the unreadable report 6 has only its metadata."""
    out = tmp_path / "wide.parquet"
    export(store, out, shape="wide")
    rows = {r["report_id"]: r for r in pq.read_table(out).to_pylist()}
    assert rows[2][rq("granted")] == 7
    assert rows[1][MISSING] is None and rows[4][MISSING] == 9 and rows[5][MISSING] == corpus[4].get(MISSING)
    assert rows[1][rq("granted")] is None and rows[1]["disclosure_rate"] is None
    assert rows[1]["denial_rate"] is not None
    assert rows[3][rq("processed_total")] == 0 and rows[3]["disclosure_rate"] is None
    assert rows[6]["status"] == "unreadable" and rows[6][rq("granted")] is None and rows[6]["disclosure_rate"] is None
    r4 = corpus[3]
    want = (r4.get(rq("granted")) + r4.get(rq("partially_granted"))) / r4.get(rq("processed_total"))
    assert rows[4]["disclosure_rate"] == pytest.approx(want, rel=1e-15)


@pytest.mark.parametrize("params", [{}, {"year": 2022}])
def test_the_webs_wide_downloads_are_the_reference(store, store_url, corpus, reader, tmp_path, params):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from nianbao.serve.app import create_app

    c = TestClient(create_app(store_url))
    resp = c.get("/export/reports.csv", params=params)
    assert resp.status_code == 200, resp.text
    header, rows = _reference(store, True, **params)
    f = io.StringIO(newline="")
    write_csv(f, header, rows)
    assert resp.content == "\ufeff".encode() + f.getvalue().encode("utf-8")
    resp = c.get("/export/reports.parquet", params={**params, "headers": "keys"})
    assert resp.status_code == 200, resp.text
    (tmp_path / "w.parquet").write_bytes(resp.content)
    header, rows = _reference(store, **params)
    _parquet(str(tmp_path / "ref.parquet"), header, rows, column_types("wide"))
    assert pq.read_table(tmp_path / "w.parquet").to_pylist() == pq.read_table(tmp_path / "ref.parquet").to_pylist()
