"""Reading problems are not report problems (spec §8): a finding resting on a cell the reader could
not place or only inferred is an ``info`` “无法核对…”, never an error or warning; a partially read
report is never shown, listed, counted or exported as clean."""

from __future__ import annotations

import csv
import io

from rich.console import Console

from nianbao import pipeline, store
from nianbao.check import check_pair, check_report
from nianbao.check.terminal import print_findings
from test_web_app import client_for
from test_web_data import seed001_report

TOTAL = "tables.requests.new_received.total"
CARRIED = "tables.requests.carried_over.total"


def errors_on(findings, cell: str) -> list:
    return [f for f in findings if f.severity != "info" and cell in f.cells]


def test_an_identity_resting_on_an_inferred_cell_is_not_an_accusation():
    r = seed001_report()
    r.set(TOTAL, 67)  # the row sums to 66
    assert {"requests.row_total", "requests.balance"} <= {f.rule for f in errors_on(check_report(r), TOTAL)}
    r.reading.inferred = [TOTAL]
    found = check_report(r)
    assert errors_on(found, TOTAL) == []
    infos = [f for f in found if f.rule == "requests.row_total" and TOTAL in f.cells]
    assert infos and infos[0].severity == "info" and infos[0].message.startswith("无法核对")
    assert "本年新收" in infos[0].message and "人工" in infos[0].message


def test_an_unread_cell_is_not_a_blank_cell_the_agency_left():
    r = seed001_report()
    r.set(TOTAL, None)
    assert "template.blank_cells" in {f.rule for f in errors_on(check_report(r), TOTAL)}
    r.reading.unread, r.reading.status = [TOTAL], "partial"
    assert errors_on(check_report(r), TOTAL) == []


def test_a_cross_year_finding_on_an_inferred_cell_is_info_at_most():
    earlier, later = seed001_report(year=2021), seed001_report(year=2022)
    earlier.set("tables.requests.carried_forward.total", 5)
    earlier.set("tables.requests.carried_forward.natural_person", 5)
    assert [f.severity for f in check_pair(earlier, later) if f.rule == "pair.carried_over"] == ["warning"]
    later.reading.inferred = [CARRIED]
    got = [f for f in check_pair(earlier, later) if f.rule == "pair.carried_over" and CARRIED in f.cells]
    assert got and all(f.severity == "info" for f in got)
    # the earlier report's cells count too: what it inferred accuses nobody either
    later.reading.inferred = []
    earlier.reading.inferred = ["tables.requests.carried_forward.total"]
    got = [f for f in check_pair(earlier, later) if f.rule == "pair.carried_over" and CARRIED in f.cells]
    assert got and all(f.severity == "info" for f in got)


def test_check_summary_line_says_partial():
    r = seed001_report()
    r.set(TOTAL, None)
    r.reading.unread, r.reading.status = [TOTAL], "partial"
    r.findings = []
    out = io.StringIO()
    print_findings(r, Console(file=out, width=200))
    text = out.getvalue()
    assert "部分读取，需人工核对" in text and "1 个单元格未能读取" in text
    assert "未发现问题" not in text


def _partial(agency: str, sha: str):
    r = seed001_report(agency=agency, sha=sha)
    r.set(TOTAL, None)
    r.reading.unread, r.reading.status = [TOTAL], "partial"
    return r


def test_a_partial_report_is_never_listed_counted_or_exported_as_clean(tmp_path):
    db = str(tmp_path / "c.db")
    with store.open_store(db) as s:
        clean = pipeline.add_report(s, seed001_report(agency="龙港市人民政府", sha="1" * 64), check=True)
        half = pipeline.add_report(s, _partial("西安市高陵区人民政府", "2" * 64), check=True)
        assert [x.id for x in store.list_reports(s, status="clean")] == [clean]
        assert [x.id for x in store.list_reports(s, status="partial")] == [half]
        header, rows = store.export_table(s, "wide")
        rows = {row[0]: dict(zip(header, row)) for row in rows}
        assert (rows[half]["status"], rows[half]["reading"]) == ("partial", "partial")
        assert (rows[clean]["status"], rows[clean]["reading"]) == ("clean", "complete")
    c = client_for(db)
    listed = c.get("/reports", params={"reading": "partial"}).text.split('id="report-table"')[1]
    assert "高陵" in listed and "龙港" not in listed and "部分读取，需人工核对" in listed
    clean_list = c.get("/reports", params={"status": "clean"}).text.split('id="report-table"')[1]
    assert "龙港" in clean_list and "高陵" not in clean_list
    overview = c.get("/").text
    assert "部分读取，需人工核对" in overview
    assert '<a href="/reports?reading=partial">1</a>' in overview
    page = c.get(f"/reports/{half}").text.split('class="report-head"')[1].split("</header>")[0]
    assert "部分读取，需人工核对" in page and "无错误" not in page
    # the web export is the corpus export (spec §10 keys as values): a status and a reading column
    table = list(csv.reader(io.StringIO(c.get("/export/reports.csv").text.lstrip("\ufeff"))))
    head = table[0]
    rows = {r[head.index("机关")]: r for r in table[1:]}
    assert rows["西安市高陵区人民政府"][head.index("状态")] == "partial"
    assert rows["西安市高陵区人民政府"][head.index("读取状态")] == "partial"
    assert (rows["龙港市人民政府"][head.index("状态")], rows["龙港市人民政府"][head.index("读取状态")]) == ("clean", "complete")


def test_the_report_list_filters_by_finding_state(tmp_path):
    db = str(tmp_path / "c.db")
    with store.open_store(db) as s:
        bad = seed001_report(agency="龙港市人民政府", sha="1" * 64)
        bad.set(TOTAL, 67)
        rid = pipeline.add_report(s, bad, check=True)
        pipeline.add_report(s, seed001_report(agency="西安市高陵区人民政府", sha="2" * 64), check=True)
        fid = next(f["id"] for f in store.iter_findings(s, report_id=rid) if f["rule"] == "requests.balance")
        from nianbao.store.review import review

        review(s, fid, "dismissed", "原表如此", "张三")
    c = client_for(db)
    dismissed = c.get("/reports", params={"state": "dismissed"}).text.split('id="report-table"')[1]
    assert "龙港" in dismissed and "高陵" not in dismissed
    confirmed = c.get("/reports", params={"state": "confirmed"}).text.split('id="report-table"')[1]
    assert "龙港" not in confirmed
