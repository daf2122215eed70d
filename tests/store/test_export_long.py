"""The long export (one row per cell) written column-wise (Parquet, CSV) holds the same rows as the
row-by-row table the web and Excel use, filters included."""

from __future__ import annotations

import csv

import pytest

from nianbao import synth
from nianbao.pipeline import add_report
from nianbao.store import export
from nianbao.store.export import LONG_COLUMNS, csv_cell, table

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def corpus(store):
    c = synth.corpus(3, [2021, 2022], seed=4)
    for r in c:
        add_report(store, r)
    return c


def _rows(store, **filters):
    _, rows = table(store, "long", **filters)
    return [list(r) for r in rows]


@pytest.mark.parametrize("filters", [{}, {"year": 2022}])
def test_long_parquet_holds_the_rows_of_the_long_table(store, corpus, tmp_path, filters):
    out = tmp_path / "long.parquet"
    n = export(store, out, shape="long", **filters)
    t = pq.read_table(out)
    assert t.column_names == [k for k, _ in LONG_COLUMNS]
    expected = _rows(store, **filters)
    got = [list(r) for r in zip(*(t.column(k).to_pylist() for k in t.column_names))]
    assert n == t.num_rows == len(expected)
    want = sum(1 for r in corpus if not filters or r.meta.year == filters["year"] for _ in r.cells())
    assert n == want
    # the row table gives integral values as int, Parquet as float: equal as numbers
    assert got == expected


def test_a_cell_of_the_long_export_is_the_reports_value(store, corpus, tmp_path):
    first = corpus.reports[0]
    out = tmp_path / "long.parquet"
    export(store, out, shape="long")
    rows = pq.read_table(out).to_pylist()
    (row,) = [r for r in rows if r["path"] == "tables.requests.new_received.total" and r["year"] == first.meta.year
              and r["agency"] == first.meta.agency]
    assert row["value"] == first.get("tables.requests.new_received.total")
    assert row["label"] == "表三“一、本年新收政府信息公开申请数量”行“总计”列"


@pytest.mark.parametrize("filters", [{}, {"year": 2021}])
def test_long_csv_is_the_long_table_as_text(store, corpus, tmp_path, filters):
    out = tmp_path / "long.csv"
    n = export(store, out, shape="long", chinese_headers=True, **filters)
    with open(out, encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == [zh for _, zh in LONG_COLUMNS]
    assert lines[1:] == [[csv_cell(v) for v in row] for row in _rows(store, **filters)]
    assert n == len(lines) - 1


def test_an_empty_selection_gives_an_empty_file_with_its_columns(store, corpus, tmp_path):
    out = tmp_path / "none.parquet"
    assert export(store, out, shape="long", year=1999) == 0
    t = pq.read_table(out)
    assert t.num_rows == 0 and t.column_names == [k for k, _ in LONG_COLUMNS]
