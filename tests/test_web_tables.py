"""The official-format layout of the three tables (serve/tables.py), checked against the format
described in ../shared/spec/annual-report-format.md §§2–4."""

from __future__ import annotations

from nianbao.model import Finding
from nianbao.serve.tables import (
    CellContext,
    active_layout,
    appeal_header,
    cells_summary,
    findings_by_table,
    report_tables,
    request_layout,
)
from test_web_data import BALANCE, seed001_report


def _ctx(report=None, findings=()):
    report = report or seed001_report()
    return CellContext(report, list(findings))


def test_table3_2021_label_area_matches_the_official_merges():
    lines = request_layout(_ctx(), "2021")
    assert len(lines) == 25  # v2021: 25 data rows (spec §3.2)
    by_key = {l.key: l for l in lines}
    first = by_key["new_received"].labels
    assert first == [{"text": "一、本年新收政府信息公开申请数量", "colspan": 3, "rowspan": 1, "css": "l1"}]
    granted = by_key["granted"].labels
    assert granted[0]["text"] == "三、本年度办理结果" and granted[0]["rowspan"] == 22  # spans 22 rows in v2021
    assert granted[1] == {"text": "（一）予以公开", "colspan": 2, "rowspan": 1, "css": "l2"}
    secret = by_key["denied_state_secret"].labels
    assert secret[0]["text"] == "（三）不予公开" and secret[0]["rowspan"] == 8
    assert secret[1]["text"] == "1.属于国家秘密"
    assert [l["text"] for l in by_key["denied_prohibited"].labels] == ["2.其他法律行政法规禁止公开"]
    assert by_key["other_no_correction"].labels[0]["rowspan"] == 3  # （六）其他处理 over its three sub-rows
    assert by_key["processed_total"].labels == [{"text": "（七）总计", "colspan": 2, "rowspan": 1, "css": "l2"}]
    assert by_key["carried_forward"].labels[0]["colspan"] == 3
    assert all(len(l.cells) == 7 for l in lines)


def test_table3_2019_has_one_other_row_and_a_20_row_group():
    report = seed001_report(year=2020)
    report.meta.template = "2019"
    req = report.tables.requests
    for k in ("other_no_correction", "other_no_fee", "other_other"):
        del req[k]
    req["other_handling"] = {c: 0 for c in req["granted"]}
    lines = request_layout(_ctx(report), "2019")
    assert len(lines) == 23
    by_key = {l.key: l for l in lines}
    assert by_key["granted"].labels[0]["rowspan"] == 20
    assert by_key["other_handling"].labels == [{"text": "（六）其他处理", "colspan": 2, "rowspan": 1, "css": "l2"}]


def test_table2_blocks_follow_the_version():
    v21 = active_layout(_ctx(), "2021")
    assert [b.caption for b in v21] == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert v21[0].headers == [("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)]
    assert v21[1].headers == [("本年处理决定数量", 3)]  # one value cell spanning 3 columns
    assert [label for label, _ in v21[2].rows] == ["行政处罚", "行政强制"]
    fees = v21[3].rows[0][1][0]
    assert fees.value == 1627.79 and fees.display == "1627.79" and fees.colspan == 3
    v19 = active_layout(_ctx(), "2019")
    assert [b.caption for b in v19][-1] == "第二十条第（九）项"
    assert len(v19) == 5
    assert v19[3].headers == [("上一年项目数量", 1), ("本年增/减", 2)]


def test_table4_header_and_row_order():
    h = appeal_header()
    assert [b["top"] for b in h["blocks"]] == ["行政复议", "行政诉讼", "行政诉讼"]
    assert [b["sub"] for b in h["blocks"][1:]] == ["未经复议直接起诉", "复议后起诉"]
    t = report_tables(_ctx())
    assert [c.value for c in t.appeals] == [7, 11, 7, 4, 29, 16, 18, 1, 10, 45, 5, 2, 0, 4, 11]


def test_findings_mark_exactly_their_cells_with_the_worst_severity():
    warn = Finding(rule="x.warn", severity="warning", message="注意", cells=["tables.requests.new_received.total"])
    t = report_tables(_ctx(findings=[warn, BALANCE]))
    marked = {p: c.severity for p, c in t.cells.items() if c.severity}
    assert marked == {"tables.requests.new_received.total": "error", "tables.requests.processed_total.total": "error"}
    cell = t.cells["tables.requests.new_received.total"]
    assert cell.messages == ["注意", BALANCE.message]
    assert (cell.raw, cell.line) == ("66", 28)
    assert "f-error" in cell.css


def test_null_and_absent_cells_are_told_apart():
    report = seed001_report()
    report.tables.requests["granted"]["research"] = None
    del report.tables.requests["granted"]["other"]
    t = report_tables(_ctx(report))
    assert "null" in t.cells["tables.requests.granted.research"].css
    assert t.cells["tables.requests.granted.research"].display == ""
    assert "absent" in t.cells["tables.requests.granted.other"].css


def test_a_missing_table_is_none():
    report = seed001_report()
    report.tables.appeals = None
    t = report_tables(_ctx(report))
    assert t.appeals is None and t.requests is not None


def test_changed_cells_against_another_year():
    a, b = seed001_report(year=2021), seed001_report(year=2022)
    b.tables.active["licensing"]["decisions"] = 90000
    t = report_tables(CellContext(b, [], other=a))
    changed = [p for p, c in t.cells.items() if c.changed]
    assert changed == ["tables.active.licensing.decisions"]
    assert t.cells["tables.active.licensing.decisions"].other_value == 84598


def test_cells_of_one_table3_row_are_named_once():
    named = cells_summary([
        "tables.requests.new_received.natural_person",
        "tables.requests.new_received.total",
        "tables.appeals.reconsideration.total",
    ])
    assert named == [
        ("表三“一、本年新收政府信息公开申请数量”行：自然人、总计列", "tables.requests.new_received.natural_person"),
        ("表四“行政复议”总计", "tables.appeals.reconsideration.total"),
    ]


def test_the_table_with_an_error_comes_first_in_the_summary():
    warn = Finding(rule="x.warn", severity="warning", message="w", cells=["tables.active.fees.amount"])
    info = Finding(rule="x.info", severity="info", message="i", cells=["tables.requests.granted.total"])
    groups = findings_by_table([warn, info, BALANCE])
    assert [name for name, _ in groups] == ["表三", "表二"]
    assert [f.rule for _, f in groups[0][1]] == ["requests.balance", "x.info"]  # worst first within a table


def test_amounts_are_shown_with_every_digit_read():
    from nianbao.serve.tables import format_value

    assert format_value(3481.768936) == "3481.768936"  # the 万元 fee printed in longgang-2021.pdf
    assert format_value(12.0) == "12" and format_value(0) == "0" and format_value(None) == ""
