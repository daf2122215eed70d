"""The web app through FastAPI's TestClient: pages, upload, overrides, export, escaping, CSRF."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nianbao import pipeline, store
from nianbao.serve.app import create_app
from test_web_data import BALANCE, seed001_report

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "web.db")


def client_for(db: str) -> TestClient:
    return TestClient(create_app(db))


def csrf_of(client: TestClient) -> str:
    html = client.get("/upload").text
    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def add(db: str, report, findings=()) -> int:
    report.findings = list(findings)
    with store.open_store(db) as s:
        return pipeline.add_report(s, report)


def test_detail_page_marks_the_finding_on_its_cell_and_lists_it_first(db):
    rid = add(db, seed001_report(), [BALANCE])
    html = client_for(db).get(f"/reports/{rid}").text
    cell = re.search(r'<td id="c-tables-requests-new_received-total" class="([^"]+)"[^>]*>(.*?)</td>', html, re.S)
    assert cell and "f-error" in cell.group(1)
    assert re.sub(r"<[^>]+>", "", cell.group(2)).strip() == "66"
    clean = re.search(r'<td id="c-tables-requests-granted-total" class="([^"]+)"', html).group(1)
    assert "f-error" not in clean
    # the summary comes before the tables and names the cell in Chinese
    assert html.index('id="summary"') < html.index('id="table-requests"')
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert "表三“一、本年新收政府信息公开申请数量”行：总计列" in summary
    assert "表三“（七）总计”行：总计列" in summary
    assert "本年新收(66)+上年结转(0)=66" in html
    # metrics of nianbao.metrics: 复议纠错率 11/(7+11+7) = 44.0%, 诉讼 (18+2)/42 = 47.6%, 公开率 66/66
    metrics = html.split('id="metrics"')[1].split("</ul>")[0]
    assert "复议纠错率 <b>44.0%</b>" in metrics and "诉讼纠错率 <b>47.6%</b>" in metrics and "公开率 <b>100.0%</b>" in metrics
    # provenance: the source line of the cell is on the cell
    assert 'data-path="tables.requests.new_received.total" data-line="28"' in html


def test_report_text_is_escaped_everywhere(db):
    r = seed001_report(agency="<script>alert(1)</script>局")
    r.sections.overview = '<img src=x onerror="alert(2)">正文'
    r.provenance["tables.active.fees.amount"].raw = "<b>1627.79</b>"
    rid = add(db, r)
    c = client_for(db)
    for url in (f"/reports/{rid}", "/reports", "/", "/coverage?year=2022"):
        html = c.get(url).text
        assert "<script>alert(1)" not in html, url
        assert "<img src=x" not in html, url
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;正文" in c.get(f"/reports/{rid}").text


def test_list_search_is_a_partial_match_on_agency_names(db):
    add(db, seed001_report(agency="西安市高陵区人民政府", sha="1" * 64))
    add(db, seed001_report(agency="龙港市人民政府", sha="2" * 64))
    c = client_for(db)
    html = c.get("/reports", params={"q": "高陵"}).text
    assert "西安市高陵区人民政府" in html and "龙港市人民政府" not in html
    html = c.get("/reports", params={"q": "龙港"}).text
    assert "龙港市人民政府" in html and "高陵" not in html.split('id="report-table"')[1]
    assert "共 2 份" in c.get("/reports").text
    partial = c.get("/reports", params={"q": "龙港"}, headers={"HX-Request": "true", "HX-Target": "results"}).text
    assert "<html" not in partial and "共 1 份" in partial and "龙港市人民政府" in partial


def test_status_filter_separates_errors_and_clean(db):
    add(db, seed001_report(agency="西安市高陵区人民政府", sha="1" * 64), [BALANCE])
    add(db, seed001_report(agency="龙港市人民政府", sha="2" * 64))
    c = client_for(db)
    errors = c.get("/reports", params={"status": "errors"}).text.split('id="report-table"')[1]
    clean = c.get("/reports", params={"status": "clean"}).text.split('id="report-table"')[1]
    assert "高陵" in errors and "龙港" not in errors
    assert "龙港" in clean and "高陵" not in clean
    by_rule = c.get("/reports", params={"rule": "requests.balance"}).text
    assert "共 1 份" in by_rule and "高陵" in by_rule.split('id="report-table"')[1]


def test_coverage_lists_who_did_not_publish(db):
    add(db, seed001_report(agency="龙港市人民政府", year=2021, sha="1" * 64))
    add(db, seed001_report(agency="龙港市人民政府", year=2022, sha="2" * 64))
    add(db, seed001_report(agency="西安市高陵区人民政府", year=2021, sha="3" * 64))
    html = client_for(db).get("/coverage", params={"year": 2022}).text
    rows = html.split('id="coverage-table"')[1].split("</table>")[0].split("<tr")[2:]
    row = {re.sub(r"<[^>]+>", "", r.split("</td>")[0].split("<td>")[1]).strip(): r for r in rows}
    assert set(row) == {"西安市高陵区人民政府", "龙港市人民政府"}
    # 2022 reports were due by 2023-03-31 (a 人民政府): 高陵区 has none, 龙港 published 2023-01-20
    assert "逾期未发布" in row["西安市高陵区人民政府"] and "2021 年度" in row["西安市高陵区人民政府"]  # its latest report
    assert "按时发布" in row["龙港市人民政府"]


def test_compare_highlights_changed_cells(db):
    a = seed001_report(agency="龙港市人民政府", year=2021, sha="1" * 64)
    b = seed001_report(agency="龙港市人民政府", year=2022, sha="2" * 64)
    b.tables.active["licensing"]["decisions"] = 90000
    ida, idb = add(db, a), add(db, b)
    html = client_for(db).get("/compare", params={"a": idb, "b": ida}).text  # order given backwards
    assert "2021 年与 2022 年比对" in html
    changed = re.findall(r'<td id="(\w)-c-([\w-]+)" class="[^"]*changed', html)
    assert sorted(changed) == [("a", "tables-active-licensing-decisions"), ("b", "tables-active-licensing-decisions")]
    assert "变化的单元格 1 个" in html
    changes = html.split('id="changes"')[1].split("</table>")[0]
    assert "表二“行政许可”本年处理决定数量" in changes and "84598" in changes and "90000" in changes


def test_compare_by_agency_picks_the_latest_two_years(db):
    ids = [add(db, seed001_report(agency="龙港市人民政府", year=y, sha=str(y % 10) * 64)) for y in (2020, 2021, 2022)]
    c = client_for(db)
    pick = c.get("/compare").text
    agency_id = re.search(r'href="/compare\?agency=(\d+)"', pick).group(1)
    html = c.get(f"/compare?agency={agency_id}").text
    assert "2021 年与 2022 年比对" in html
    assert f'href="/reports/{ids[2]}"' in html


def test_override_needs_the_csrf_token_and_keeps_the_original(db):
    rid = add(db, seed001_report())
    c = client_for(db)
    form = {"path": "tables.active.licensing.decisions", "value": "84599", "reason": "原文为84599，读取有误"}
    assert c.post(f"/reports/{rid}/override", data=form).status_code == 403
    assert c.post(f"/reports/{rid}/override", data={**form, "csrf": "wrong"}).status_code == 403
    r = c.post(f"/reports/{rid}/override", data={**form, "csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303
    html = c.get(f"/reports/{rid}").text
    events = html.split('id="overrides"')[1].split("</section>")[0]
    assert "本机用户" in events and "84598" in events and "84599" in events and "原文为84599，读取有误" in events
    cell = re.search(r'<td id="c-tables-active-licensing-decisions" class="([^"]+)"[^>]*>(.*?)</td>', html, re.S)
    assert "overridden" in cell.group(1)
    assert re.search(r"84599\s*<s class=\"orig\">84598</s>", cell.group(2))
    with store.open_store(db) as s:
        cells = {c["path"]: (c["value"], c["read_value"]) for c in store.get_report(s, rid).cells}
    assert cells["tables.active.licensing.decisions"] == (84599, 84598)  # in force, and the value read stays


def test_override_refuses_a_non_number_and_a_missing_reason(db):
    rid = add(db, seed001_report())
    c = client_for(db)
    token = csrf_of(c)
    r = c.post(f"/reports/{rid}/override", data={"path": "tables.active.licensing.decisions", "value": "十二", "reason": "x", "csrf": token})
    assert r.status_code == 400 and "不是数字" in r.text
    r = c.post(f"/reports/{rid}/override", data={"path": "tables.active.licensing.decisions", "value": "1", "reason": " ", "csrf": token})
    assert r.status_code == 400 and "理由" in r.text


def test_upload_reads_seeds_and_lists_failures_with_their_reason(db):
    c = client_for(db)
    token = csrf_of(c)
    seed = (SEEDS / "004_09848c8a4e14a3e3.txt").read_bytes()
    files = [
        ("files", ("004.txt", seed, "text/plain")),
        ("files", ("virus.exe", b"MZ\x90\x00", "application/octet-stream")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    html = c.post("/upload", files=files, headers={"X-CSRF-Token": token}).text
    failed = html.split('id="upload-failed"')[1].split("</table>")[0]
    assert "virus.exe" in failed and "不支持的文件类型" in failed
    assert "empty.txt" in failed and "文件为空" in failed
    ok = html.split('id="upload-ok"')[1].split("</table>")[0]
    assert "004.txt" in ok and "龙港市人民政府" in ok and "新入库" in ok
    listing = c.get("/reports").text
    assert "龙港市人民政府" in listing and "virus.exe" not in listing and "共 1 份" in listing


def test_upload_of_a_zip_reads_every_member(db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a/000.txt", (SEEDS / "000_333e33f0e39a8a89.txt").read_bytes())
        z.writestr("a/003.txt", (SEEDS / "003_8eb29caa53aa2f11.txt").read_bytes())
        z.writestr("a/notes.xls", b"not a report")
    c = client_for(db)
    html = c.post("/upload", files=[("files", ("batch.zip", buf.getvalue(), "application/zip"))], headers={"X-CSRF-Token": csrf_of(c)}).text
    assert "共 3 个文件，成功 2 个" in html
    assert "batch.zip!a/notes.xls" in html.split('id="upload-failed"')[1]
    ok = html.split('id="upload-ok"')[1]
    assert "乳山市乳山寨镇人民政府" in ok and "翟镇镇人民政府" in ok


def test_upload_without_csrf_is_refused(db):
    c = client_for(db)
    c.get("/")
    r = c.post("/upload", files=[("files", ("a.txt", b"x", "text/plain"))])
    assert r.status_code == 403
    assert "共 0 份" in c.get("/reports").text


def test_oversized_file_is_refused(db, monkeypatch):
    from nianbao.serve.views import upload

    monkeypatch.setattr(upload, "MAX_FILE_BYTES", 1000)
    c = client_for(db)
    html = c.post("/upload", files=[("files", ("big.txt", b"x" * 2000, "text/plain"))], headers={"X-CSRF-Token": csrf_of(c)}).text
    assert "big.txt" in html.split('id="upload-failed"')[1] and "上限" in html


def test_export_csv_and_xlsx_follow_the_list_filters(db):
    add(db, seed001_report(agency="西安市高陵区人民政府", sha="1" * 64), [BALANCE])
    add(db, seed001_report(agency="龙港市人民政府", sha="2" * 64))
    c = client_for(db)
    text = c.get("/export/reports.csv", params={"q": "高陵"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("报告编号,机关") and len(lines) == 2 and "西安市高陵区人民政府" in lines[1]
    findings = c.get("/export/findings.csv").content.decode("utf-8-sig").strip().splitlines()
    assert len(findings) == 2 and "requests.balance" in findings[1] and "表三“一、本年新收政府信息公开申请数量”行“总计”列" in findings[1]
    xlsx = c.get("/export/findings.xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        # a download is written in constant memory: its strings are inline in the sheet
        names = z.namelist()
        strings = z.read("xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else "xl/worksheets/sheet1.xml").decode("utf-8")
    assert "requests.balance" in strings and "西安市高陵区人民政府" in strings


def test_overview_counts_and_charts(db):
    add(db, seed001_report(agency="西安市高陵区人民政府", sha="1" * 64), [BALANCE])
    add(db, seed001_report(agency="龙港市人民政府", year=2021, sha="2" * 64))
    html = client_for(db).get("/").text
    assert re.search(r"已入库报告<b>2</b>", html) and re.search(r"有错误的报告<b>1</b>", html)
    assert "requests.balance" in html
    region = html.split('id="by-region"')[1].split("</table>")[0]
    # 高陵 (陕西省) reported on 2022, 龙港 (浙江省) on 2021: one report in each cell of the matrix
    assert re.search(r"<td>陕西省</td><td class=\"n\"></td><td class=\"n\">1</td>", region)
    assert re.search(r"<td>浙江省</td><td class=\"n\">1</td><td class=\"n\"></td>", region)
    option = re.search(r'id="chart-requests" data-option="([^"]+)"', html).group(1)
    assert "&#34;data&#34;: [66, 66]" in option  # 本年新收 per year, 2021 and 2022
    assert "/static/vendor/echarts-6.1.0.min.js" in html
    # 纠错率 = 纠正 ÷ 已审结: 复议 11/(7+11+7) = 44.0%; 诉讼 (18+2)/(16+18+1+5+2+0) = 47.6%
    correction = re.search(r'id="chart-correction" data-option="([^"]+)"', html).group(1)
    assert "[44.0, 44.0]" in correction and "[47.6, 47.6]" in correction


def test_unknown_report_is_a_chinese_404(db):
    r = client_for(db).get("/reports/999")
    assert r.status_code == 404 and "报告 999 不存在" in r.text


def test_static_vendor_files_are_served(db):
    c = client_for(db)
    assert c.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
    assert c.get("/static/vendor/LICENSE.echarts").status_code == 200


def test_pdf_page_image_and_a_page_out_of_range(db):
    pdf = Path(__file__).resolve().parent / "fixtures" / "formats" / "longgang-2021.pdf"
    with store.open_store(db) as s:
        rid = next(iter(pipeline.ingest(s, [pdf], workers=1))).report_id
    c = client_for(db)
    r = c.get(f"/reports/{rid}/source/page/2.png")
    assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"
    html = c.get(f"/reports/{rid}").text
    assert 'id="c-tables-requests-new_received-total"' in html and 'data-page="2"' in html
    bad = c.get(f"/reports/{rid}/source/page/99.png")
    assert bad.status_code == 400 and "没有第 99 页" in bad.text
    assert c.get(f"/reports/{rid}/page/2.png").status_code == 404  # the old address is gone


def test_region_filters_cascade_province_city_county(db):
    add(db, seed001_report(agency="龙港市人民政府", sha="1" * 64))
    add(db, seed001_report(agency="西安市高陵区人民政府", sha="2" * 64))
    c = client_for(db)
    html = c.get("/reports", params={"province": "浙江省"}).text
    rows = html.split('id="report-table"')[1]
    assert "龙港市人民政府" in rows and "高陵" not in rows
    city_select = html.split('name="city"')[1].split("</select>")[0]
    assert "<option>温州市</option>" in city_select and "西安市" not in city_select
    html = c.get("/reports", params={"province": "浙江省", "city": "温州市"}).text
    county_select = html.split('name="county"')[1].split("</select>")[0]
    assert "<option>龙港市</option>" in county_select
    rows = c.get("/reports", params={"province": "陕西省", "city": "西安市", "county": "高陵区"}).text.split('id="report-table"')[1]
    assert "西安市高陵区人民政府" in rows and "龙港" not in rows


def test_htmx_upload_runs_as_a_job_with_progress(db):
    import time

    c = client_for(db)
    headers = {"X-CSRF-Token": csrf_of(c), "HX-Request": "true"}
    seeds = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(SEEDS.glob("*.txt"))[:2]]
    first = c.post("/upload", files=seeds, headers=headers).text
    job = re.search(r'hx-get="/upload/jobs/([\w-]+)"', first)
    assert job and "已处理" in first and "/ 2 个文件" in first
    for _ in range(200):
        page = c.get(f"/upload/jobs/{job.group(1)}").text
        if 'id="upload-summary"' in page:
            break
        time.sleep(0.1)
    assert "共 2 个文件，成功 2 个" in page and "乳山市乳山寨镇人民政府" in page
    assert c.get("/upload/jobs/nope").status_code == 404


def test_an_internal_error_is_a_chinese_page_without_traceback(db, monkeypatch):
    from nianbao.serve.views import reports

    def broken(*_a, **_k):
        raise RuntimeError("boom at line 42")

    monkeypatch.setattr(reports, "list_reports", broken)
    r = TestClient(create_app(db), raise_server_exceptions=False).get("/reports")
    assert r.status_code == 500 and "服务器内部错误（RuntimeError）" in r.text
    assert "Traceback" not in r.text and "line 42" not in r.text


def test_a_finding_on_many_rows_names_four_and_folds_the_rest(db):
    from nianbao.model import Finding

    rows = ["new_received", "carried_over", "granted", "partially_granted", "denied_state_secret", "processed_total"]
    many = Finding(rule="x.many", severity="info", message="多行", cells=[f"tables.requests.{r}.total" for r in rows])
    rid = add(db, seed001_report(), [many])
    summary = client_for(db).get(f"/reports/{rid}").text.split('id="summary"')[1].split("</section>")[0]
    shown, folded = summary.split('<details class="more">')
    assert shown.count('class="cellref"') == 4 and folded.count('class="cellref"') == 2
    assert "及其他 2 处" in folded and "表三“（七）总计”行：总计列" in folded


def test_compare_marks_a_cross_year_finding_in_both_years(db):
    from nianbao.model import Finding

    a = seed001_report(agency="龙港市人民政府", year=2021, sha="1" * 64)
    ida = add(db, a)
    b = seed001_report(agency="龙港市人民政府", year=2022, sha="2" * 64)
    cross = Finding(
        rule="pair.carried_over", severity="warning", message="上年结转与上年报告的结转下年度不符",
        cells=["tables.requests.carried_over.total"],
        other={"report_id": ida, "year": 2021, "cells": ["tables.requests.carried_forward.total"]},
    )
    idb = add(db, b, [cross])
    html = client_for(db).get("/compare", params={"a": ida, "b": idb}).text
    assert "上年结转与上年报告的结转下年度不符" in html.split('id="cross-year"')[1].split("</section>")[0]
    marked = set(re.findall(r'<td id="(\w-c-[\w-]+)" class="[^"]*f-warning', html))
    assert {"a-c-tables-requests-carried_forward-total", "b-c-tables-requests-carried_over-total"} <= marked
    assert "a-c-tables-requests-carried_over-total" not in marked and "b-c-tables-requests-carried_forward-total" not in marked


def test_pdf_boxes_point_at_an_unambiguous_value_only():
    from nianbao.serve.source import pdf_word_boxes

    data = (Path(__file__).resolve().parent / "fixtures" / "formats" / "longgang-2021.pdf").read_bytes()
    (box,) = pdf_word_boxes(data, 2, "166")  # pdftotext -bbox: x 523.9–545.5, y 492–509 on 612×792
    assert abs(box["x"] - 523.9 / 612) < 0.01 and abs(box["y"] - 492 / 792) < 0.01
    assert pdf_word_boxes(data, 2, "0") == []  # printed dozens of times: no box
    assert pdf_word_boxes(data, 99, "166") == [] and pdf_word_boxes(b"not a pdf", 1, "166") == []


def test_more_than_1000_files_at_once_asks_for_a_zip(db):
    c = client_for(db)
    files = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(1001)]
    r = c.post("/upload", files=files, headers={"X-CSRF-Token": csrf_of(c)})
    assert r.status_code == 400 and "打包成 zip" in r.text


def test_upload_page_lists_recent_failures(db):
    c = client_for(db)
    c.post("/upload", files=[("files", ("scan.pdf", b"%PDF-1.4 broken", "application/pdf"))], headers={"X-CSRF-Token": csrf_of(c)})
    recent = c.get("/upload").text.split('id="recent-failures"')[1].split("</section>")[0]
    assert "scan.pdf" in recent and "PDF" in recent


@pytest.mark.postgres
def test_every_page_on_postgresql():
    import os
    import secrets

    url = os.environ.get("NIANBAO_TEST_PG_URL")
    if not url:
        pytest.skip("NIANBAO_TEST_PG_URL is not set")
    tag = secrets.token_hex(4)
    agency = f"龙港市测试{tag}局"
    ids = []
    for year, digit in ((2021, "a"), (2022, "b")):
        report = seed001_report(agency=agency, year=year, sha=(tag + digit) * 8)
        ids.append(add(url, report, [BALANCE] if year == 2022 else []))
    c = client_for(url)
    for page in ("/", "/?year=2022", "/reports?status=errors", "/reports?rule=requests.balance", "/coverage?year=2022",
                 "/compare", f"/reports/{ids[1]}", f"/compare?a={ids[0]}&b={ids[1]}", "/export/findings.csv", "/upload"):
        assert c.get(page).status_code == 200, page
    assert agency in c.get("/reports", params={"q": tag}).text
    form = {"path": "tables.active.licensing.decisions", "value": "1", "reason": "核对", "csrf": csrf_of(c)}
    assert c.post(f"/reports/{ids[1]}/override", data=form, follow_redirects=False).status_code == 303


def test_official_headers_of_tables_3_and_4(db):
    """Spec §3.1 and §4: the merged header cells and their spans."""
    rid = add(db, seed001_report())
    html = client_for(db).get(f"/reports/{rid}").text
    t3 = html.split('id="table-requests"')[1].split("</thead>")[0]
    assert re.search(r'<th colspan="3" rowspan="3" class="note">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan="7">申请人情况</th>', t3)
    assert '<th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th>' in t3
    t4 = html.split('id="table-appeals"')[1].split("</thead>")[0]
    assert '<th colspan="5">行政复议</th><th colspan="10">行政诉讼</th>' in t4
    assert '<th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th>' in t4
    t2 = html.split('id="table-active"')[1].split("</table>")[0]
    assert t2.count("<th>信息内容</th>") == 4  # one header row per block of the 2021 format


def test_web_export_is_formula_safe_and_keeps_numbers_numbers(db):
    from nianbao.model import Finding

    evil = Finding(rule="x.evil", severity="warning", message="=HYPERLINK(\"http://x\",\"点此\")", cells=[])
    add(db, seed001_report(agency="西安市高陵区人民政府", sha="1" * 64), [evil])
    c = client_for(db)
    text = c.get("/export/findings.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    xlsx = c.get("/export/findings.xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        # a bulk download is written in constant memory: its strings are inline in the sheet
        strings = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else sheet
    assert "<f>" not in sheet and "'=HYPERLINK" in strings
    reports = c.get("/export/reports.csv").content.decode("utf-8-sig").splitlines()
    assert reports[1].split(",")[0].isdigit()  # the report number is written as a number


def test_web_export_has_the_columns_of_nianbao_export(db, tmp_path):
    from nianbao.store.export import export as store_export

    add(db, seed001_report(agency="西安市高陵区人民政府", sha="1" * 64), [BALANCE])
    c = client_for(db)
    with store.open_store(db) as s:
        for what, shape in (("reports", "wide"), ("cells", "long"), ("findings", "findings")):
            store_export(s, tmp_path / f"{shape}.csv", shape=shape, chinese_headers=True)
            cli = (tmp_path / f"{shape}.csv").read_text(encoding="utf-8-sig").splitlines()
            web = c.get(f"/export/{what}.csv").content.decode("utf-8-sig").splitlines()
            assert web == cli, what
    cells = c.get("/export/cells.csv").content.decode("utf-8-sig").splitlines()
    assert cells[0].startswith("报告编号,机关,年度,单元格,单元格名称,数值")


def test_the_source_view_does_not_read_the_original_again(db, monkeypatch):
    with store.open_store(db) as s:
        rid = pipeline.ingest_bytes(s, (SEEDS / "004_09848c8a4e14a3e3.txt").read_bytes(), "upload/longgang.txt").report_id

    def never(*_a, **_k):
        raise AssertionError("a page view read the original again")

    monkeypatch.setattr(pipeline, "read_lines", never)
    monkeypatch.setattr(pipeline, "read_document", never)
    html = client_for(db).get(f"/reports/{rid}").text
    assert "龙港市人民政府2021年政府信息公开工作年度报告" in html.split("原文", 1)[1]
