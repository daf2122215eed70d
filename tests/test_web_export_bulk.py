"""Bulk downloads of spec §10: /export/{reports|findings|cells}.{csv|xlsx|parquet}?year=&shape=."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from nianbao import pipeline, store
from nianbao.model import Source
from nianbao.serve.app import create_app
from test_web_data import BALANCE, seed001_report


@pytest.fixture
def corpus(tmp_path):
    """高陵区 2022 (from a file named like a formula, with an error) and 龙港市 2021."""
    db = str(tmp_path / "bulk.db")
    with store.open_store(db) as s:
        a = seed001_report(sha="1" * 64)
        a.source = Source(path="=1+2.txt", sha256="1" * 64, format="text")
        a.findings = [BALANCE]
        ida = pipeline.add_report(s, a)
        idb = pipeline.add_report(s, seed001_report(agency="龙港市人民政府", year=2021, sha="2" * 64))
    return db, ida, idb, tmp_path


def rows_of(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.text
    text = resp.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_reports_csv_has_the_columns_of_nianbao_export_and_filters_by_year(corpus):
    db, ida, idb, tmp = corpus
    with store.open_store(db) as s:
        store.export(s, tmp / "cli.csv", shape="wide")
    cli_header = next(csv.reader(io.StringIO((tmp / "cli.csv").read_text(encoding="utf-8-sig"))))
    c = TestClient(create_app(db))
    rows = rows_of(c.get("/export/reports.csv", params={"headers": "keys"}))
    assert rows[0] == cli_header
    assert sorted(int(r[0]) for r in rows[1:]) == [ida, idb]
    rows = rows_of(c.get("/export/reports.csv", params={"year": 2021, "headers": "keys"}))
    assert [r[0] for r in rows[1:]] == [str(idb)] and rows[1][cli_header.index("agency")] == "龙港市人民政府"
    zh = rows_of(c.get("/export/reports.csv", params={"year": 2021}))
    assert zh[0][:3] == ["报告编号", "机关", "报告所写机关"]


def test_cells_long_and_findings(corpus):
    db, ida, idb, _ = corpus
    c = TestClient(create_app(db))
    rows = rows_of(c.get("/export/cells.csv", params={"year": 2022, "headers": "keys"}))
    assert rows[0] == ["report_id", "agency", "year", "path", "label", "value", "raw", "line", "page"]
    cell = next(r for r in rows[1:] if r[3] == "tables.requests.new_received.total")
    assert cell[0] == str(ida) and cell[5] == "66" and cell[6] == "66" and cell[7] == "28"
    assert {r[0] for r in rows[1:]} == {str(ida)}
    # reports with shape=long is the same table as cells
    assert rows_of(c.get("/export/reports.csv", params={"year": 2022, "shape": "long", "headers": "keys"})) == rows
    found = rows_of(c.get("/export/findings.csv", params={"headers": "keys"}))
    assert found[0][:5] == ["report_id", "agency", "year", "rule", "severity"]
    assert [(r[0], r[3]) for r in found[1:]] == [(str(ida), "requests.balance")]


def test_corrections_are_applied_in_wide_and_long(corpus):
    db, ida, _, _ = corpus
    with store.open_store(db) as s:
        store.add_override(s, ida, "tables.requests.new_received.total", 60, "核对原件", "李四")
    c = TestClient(create_app(db))
    rows = rows_of(c.get("/export/reports.csv", params={"year": 2022, "headers": "keys"}))
    row = dict(zip(rows[0], rows[1]))
    assert row["tables.requests.new_received.total"] == "60"
    # 办结率 = 办理结果总计 ÷ (本年新收 + 上年结转) = 66 ÷ (60 + 0) = 1.1
    assert float(row["completion_rate"]) == pytest.approx(1.1)
    long = rows_of(c.get("/export/cells.csv", params={"year": 2022, "headers": "keys"}))
    assert next(r for r in long[1:] if r[3] == "tables.requests.new_received.total")[5] == "60"


def test_formula_like_text_is_neutralised_in_csv_and_excel_not_in_parquet(corpus):
    pq = pytest.importorskip("pyarrow.parquet")
    db, ida, _, tmp = corpus
    c = TestClient(create_app(db))
    rows = rows_of(c.get("/export/reports.csv", params={"year": 2022, "headers": "keys"}))
    assert dict(zip(rows[0], rows[1]))["path"] == "'=1+2.txt"
    resp = c.get("/export/reports.xlsx", params={"year": 2022})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/vnd.openxml")
    with zipfile.ZipFile(io.BytesIO(resp.content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else sheet
    assert "<f>" not in sheet and "'=1+2.txt" in strings
    resp = c.get("/export/reports.parquet", params={"year": 2022, "headers": "keys"})
    assert resp.status_code == 200
    (tmp / "r.parquet").write_bytes(resp.content)
    table = pq.read_table(tmp / "r.parquet")
    assert table.num_rows == 1 and table.column("path").to_pylist() == ["=1+2.txt"]
    assert table.column("report_id").to_pylist() == [ida]
    cells = c.get("/export/cells.parquet", params={"headers": "keys"})
    (tmp / "c.parquet").write_bytes(cells.content)
    assert pq.read_table(tmp / "c.parquet").column_names == ["report_id", "agency", "year", "path", "label", "value", "raw", "line", "page"]


def test_an_excel_file_larger_than_a_sheet_is_refused_with_a_reason(corpus, monkeypatch):
    from nianbao.store import bulk

    db, *_ = corpus
    monkeypatch.setattr(bulk, "EXCEL_MAX_ROWS", 10)
    resp = TestClient(create_app(db)).get("/export/cells.xlsx")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "bad_parameter" and "CSV 或 Parquet" in resp.json()["error"]["message"]


@pytest.mark.parametrize("url, word", [
    ("/export/reports.txt", "csv | xlsx | parquet"),
    ("/export/people.csv", "reports | findings | cells"),
    ("/export/reports.csv?shape=tall", "wide | long"),
    ("/export/reports.csv?year=今年", "整数"),
    ("/export/reports.csv?format=csv", "未知参数"),
])
def test_bad_download_parameters_answer_400(corpus, url, word):
    db, *_ = corpus
    resp = TestClient(create_app(db)).get(url)
    assert resp.status_code == 400
    assert list(resp.json()) == ["error"] and word in resp.json()["error"]["message"]


def test_the_list_page_downloads_what_it_shows(corpus):
    db, ida, idb, _ = corpus
    c = TestClient(create_app(db))
    html = c.get("/reports", params={"q": "龙港"}).text
    assert "/export/reports.csv?q=%E9%BE%99%E6%B8%AF" in html and "/api#download" in html
    rows = rows_of(c.get("/export/reports.csv", params={"q": "龙港"}))
    assert rows[0][:2] == ["报告编号", "机关"] and [r[0] for r in rows[1:]] == [str(idb)]
    # the list's own filters (a province) scope the download too
    rows = rows_of(c.get("/export/findings.csv", params={"province": "陕西省"}))
    assert [r[0] for r in rows[1:]] == [str(ida)]
    assert rows_of(c.get("/export/findings.csv", params={"province": "浙江省"}))[1:] == []


def test_the_list_page_as_json_and_never_a_cached_fragment(corpus):
    db, ida, idb, _ = corpus
    c = TestClient(create_app(db))
    data = c.get("/reports", params={"q": "龙港", "format": "json"}).json()
    assert data["total"] == 1 and [r["id"] for r in data["items"]] == [idb] and data["items"][0]["year"] == 2021
    part = c.get("/reports", params={"q": "龙港"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in part.text and part.headers["cache-control"] == "no-store"
    assert "HX-Request" in part.headers["vary"]
    # htmx restoring history asks for the whole page
    whole = c.get("/reports", params={"q": "龙港"}, headers={"HX-Request": "true", "HX-Target": "results",
                                                            "HX-History-Restore-Request": "true"})
    assert "<html" in whole.text and "HX-Request" in whole.headers["vary"]
