"""Roster import (CSV/XLSX, bad rows with row numbers), coverage against it with deadlines by
agency level, paging and sorting, the 待确认机关 queue, and ``coverage --agencies FILE``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nianbao import pipeline, store
from nianbao.cli import app as cli_app
from nianbao.serve.app import create_app
from nianbao.store.roster import import_roster, parse_roster, roster_coverage
from test_web_data import seed001_report

ROSTER = """名称,地区,类别
龙港市人民政府,温州市,政府
温州市洞头区人民政府,,
教育局,浙江省温州市洞头区,部门
龙港市政府,,
,温州市,
某某局,火星市,部门
苍南县人民政府,浙江省,神仙
鹿城区人民政府,鼓楼区,
温州市鹿城区教育局,,
"""


def csrf_of(client) -> str:
    html = client.get("/upload").text
    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def test_roster_rows_are_checked_one_by_one():
    parsed = parse_roster(ROSTER.encode("utf-8"), "名单.csv")
    assert [(e.row, e.name) for e in parsed.entries] == [
        (2, "龙港市人民政府"), (3, "温州市洞头区人民政府"), (4, "教育局"), (10, "温州市鹿城区教育局")]
    assert [p.row for p in parsed.problems] == [5, 6, 7, 8, 9]
    msgs = {p.row: p.message for p in parsed.problems}
    assert "与第 2 行是同一机关" in msgs[5]
    assert msgs[6] == "缺少机关名称"
    assert "火星市" in msgs[7] and "不在行政区划中" in msgs[7]
    assert "神仙" in msgs[8]
    assert "不唯一" in msgs[9]
    by_name = {e.name: e for e in parsed.entries}
    # a department named without its place takes the row's region
    assert by_name["教育局"].county == "洞头区" and by_name["教育局"].lookup == "浙江省温州市洞头区教育局"
    # 人民政府: 3月31日; departments: 1月31日
    assert by_name["龙港市人民政府"].government and not by_name["温州市鹿城区教育局"].government
    # GBK, and no header: name, region, kind in that order
    gbk = parse_roster("龙港市人民政府\n温州市洞头区人民政府\n".encode("gbk"), "a.csv")
    assert [e.name for e in gbk.entries] == ["龙港市人民政府", "温州市洞头区人民政府"] and not gbk.problems


def test_roster_from_excel():
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, row in enumerate([["机关名称", "所在地区", "机关类别"], ["龙港市人民政府", "330383", "政府"], ["教育局", "", "部门"]]):
        ws.write_row(i, 0, row)
    wb.close()
    parsed = parse_roster(buf.getvalue(), "名单.xlsx")
    # 教育局 with no region cannot be placed, but it is still an agency that must publish
    assert [(e.name, e.region_code) for e in parsed.entries] == [("龙港市人民政府", "330383"), ("教育局", None)]
    assert parsed.problems == []


@pytest.fixture
def corpus(tmp_path):
    """龙港市 2022 published 2023-03-20 (a 人民政府: due 3月31日, on time); 洞头区教育局 2022
    published 2023-02-10 (a department: due 1月31日, late); 鹿城区教育局 never published;
    one report whose agency could not be read."""
    db = str(tmp_path / "cov.db")
    with store.open_store(db) as s:
        a = seed001_report(agency="龙港市人民政府", year=2022, sha="1" * 64)
        a.meta.published = "2023-03-20"
        pipeline.add_report(s, a)
        b = seed001_report(agency="温州市洞头区教育局", year=2022, sha="2" * 64)
        b.meta.published = "2023-02-10"
        pipeline.add_report(s, b)
        c = seed001_report(agency="x", year=2022, sha="3" * 64)
        c.meta.agency = None
        c.meta.title = "2022年政府信息公开工作年度报告"
        pipeline.add_report(s, c)
    return db


def test_coverage_states_by_deadline_and_level(corpus):
    with store.open_store(corpus) as s:
        import_roster(s, parse_roster(ROSTER.encode("utf-8")).entries)
        cov = roster_coverage(s, 2022, sort="name", today=dt.date(2023, 6, 1))
        states = {it["agency"]: it["state"] for it in cov["items"]}
        assert states == {"龙港市人民政府": "on_time", "温州市洞头区人民政府": "overdue", "教育局": "late",
                          "温州市鹿城区教育局": "overdue"}
        assert cov["counts"] == {"on_time": 1, "late": 1, "undated": 0, "overdue": 2, "not_due": 0}
        deadlines = {it["agency"]: it["deadline"] for it in cov["items"]}
        assert deadlines["龙港市人民政府"] == "2023-03-31" and deadlines["教育局"] == "2023-01-31"
        # before the deadlines nothing is overdue; 2023-02-15 is past a department's, not a government's
        cov = roster_coverage(s, 2022, today=dt.date(2023, 2, 15))
        st = {it["agency"]: it["state"] for it in cov["items"]}
        assert st["温州市洞头区人民政府"] == "not_due" and st["温州市鹿城区教育局"] == "overdue"
        page = roster_coverage(s, 2022, sort="name", descending=True, limit=2, offset=1, today=dt.date(2023, 6, 1))
        # by code point, descending: 龙 > 温州市鹿 > 温州市洞 > 教
        assert page["total"] == 4 and [it["agency"] for it in page["items"]] == ["温州市鹿城区教育局", "温州市洞头区人民政府"]
        only = roster_coverage(s, 2022, region="鹿城区", today=dt.date(2023, 6, 1))
        assert [it["agency"] for it in only["items"]] == ["温州市鹿城区教育局"]


def test_import_in_the_ui_lists_bad_rows_and_coverage_shows_a_never_published_agency(corpus):
    c = TestClient(create_app(corpus))
    token = csrf_of(c)
    resp = c.post("/coverage/roster", data={"csrf": token}, files={"file": ("名单.csv", ROSTER.encode("utf-8"), "text/csv")})
    assert resp.status_code == 200
    html = resp.text
    assert "已导入 <b>4</b> 个机关" in html
    problems = html.split('id="roster-problems"')[1]
    assert [int(n) for n in re.findall(r'<td class="n">(\d+)</td>', problems)] == [5, 6, 7, 8, 9]
    html = c.get("/coverage", params={"year": 2022, "sort": "name"}).text
    table = html.split('id="coverage-table"')[1].split("</table>")[0]
    assert "温州市鹿城区教育局" in table and "逾期未发布" in table
    assert "对照已导入的应发布机关名单（4 个机关）" in html
    assert "待确认机关：1 份报告" in html
    overdue = c.get("/coverage", params={"year": 2022, "state": "overdue", "format": "json"}).json()
    assert sorted(it["agency"] for it in overdue["items"]) == ["温州市洞头区人民政府", "温州市鹿城区教育局"]
    text = c.get("/coverage", params={"year": 2022, "state": "overdue", "format": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("机关,地区") and len(text.strip().splitlines()) == 3
    queue = c.get("/coverage/unassigned").text
    assert "2022年政府信息公开工作年度报告" in queue


def test_a_roster_import_without_csrf_or_with_a_broken_file(corpus):
    c = TestClient(create_app(corpus))
    assert c.post("/coverage/roster", files={"file": ("a.csv", b"x", "text/csv")}).status_code == 403
    token = csrf_of(c)
    resp = c.post("/coverage/roster", data={"csrf": token}, files={"file": ("a.xlsx", b"PK\x03\x04broken", "application/octet-stream")})
    assert resp.status_code == 400 and "a.xlsx: 无法读取 Excel 文件" in resp.text


def test_coverage_pages_and_sorts_in_the_url(corpus, monkeypatch):
    from nianbao.serve.views import coverage as view

    monkeypatch.setattr(view, "PAGE_SIZE", 1)
    c = TestClient(create_app(corpus))
    html = c.get("/coverage", params={"year": 2022, "sort": "name"}).text
    assert "第 1 / 2 页" in html  # the corpus's two agencies stand in for a roster
    assert 'href="/coverage?year=2022&amp;sort=name&amp;page=2"' in html
    assert 'data-sort="name" title="按“机关”排序" aria-sort="ascending">机关 ▲' in html
    assert 'href="/coverage?year=2022&amp;sort=name&amp;dir=desc" data-sort="name"' in html  # again: Z→A
    assert "尚未导入应发布机关名单" in html


def test_cli_coverage_takes_a_csv_roster_and_lists_bad_rows(corpus, tmp_path):
    f = tmp_path / "名单.csv"
    f.write_text(ROSTER, encoding="utf-8")
    res = CliRunner().invoke(cli_app, ["coverage", "--year", "2022", "--agencies", str(f), "--db", corpus, "--json"])
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    assert [p["agency"] for p in out["published"]] == ["龙港市人民政府", "浙江省温州市洞头区教育局"]
    assert [m["agency"] for m in out["missing"]] == ["温州市洞头区人民政府", "温州市鹿城区教育局"]
    for n in (5, 6, 7, 8, 9):
        assert f"第 {n} 行" in res.stderr
