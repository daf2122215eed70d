"""The report page (issue 15 §6): download the original(s), re-read with the current reader
(corrections and reviews kept), delete after a confirmation (one transaction, with an audit entry),
the print stylesheet, and the agency's trend over any number of years with charts linking to the
reports; bad parameters answered with the app's Chinese 4xx page."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest
from sqlalchemy import func, select

from nianbao import pipeline, store
from nianbao.serve.pages import STATIC_DIR
from nianbao.store import audit as audit_module
from nianbao.store import schema as S
from test_web_app import SEEDS, client_for, csrf_of
from test_web_data import seed001_report

LONGGANG = SEEDS / "004_09848c8a4e14a3e3.txt"
TOTAL = "tables.requests.new_received.total"


def ingest(db: str, path, name: str | None = None) -> int:
    with store.open_store(db) as s:
        return pipeline.ingest_bytes(s, path.read_bytes(), name or str(path)).report_id


def add(db: str, agency: str, year: int, sha: str, total: int | None = None) -> int:
    r = seed001_report(agency, year, sha)
    if total is not None:
        for row in ("new_received", "granted", "processed_total"):
            r.set(f"tables.requests.{row}.natural_person", total)
            r.set(f"tables.requests.{row}.total", total)
    with store.open_store(db) as s:
        return pipeline.add_report(s, r, check=True)


def count(db: str, table, *where) -> int:
    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def cell_count(db: str, report_id: int) -> int:
    """How many cells a report has in its pack (0: no pack)."""
    from nianbao.store import cellpack

    with store.open_store(db) as s, s.engine.connect() as conn:
        return cellpack.count(conn, report_id)


def test_download_the_original_and_a_copy(tmp_path):
    db = str(tmp_path / "w.db")
    rid = ingest(db, LONGGANG, "批次/龙港市2021年报.txt")
    # the same report as another file (one more blank line): joined to it as a copy
    copy = tmp_path / "龙港市2021年报-副本.txt"
    copy.write_bytes(LONGGANG.read_bytes() + "\n\n".encode())
    with store.open_store(db) as s:
        joined = pipeline.ingest_bytes(s, copy.read_bytes(), str(copy))
    assert (joined.status, joined.report_id) == ("duplicate", rid)
    c = client_for(db)
    page = c.get(f"/reports/{rid}").text
    links = re.findall(r'<a href="(/reports/%d/files/[0-9a-f]{64})" download class="(original|copy)">' % rid, page)
    assert [k for _, k in links] == ["original", "copy"]
    r = c.get(links[0][0])
    assert r.status_code == 200 and r.content == LONGGANG.read_bytes()
    assert r.headers["content-type"].startswith("text/plain")
    assert "attachment" in r.headers["content-disposition"] and "filename*=UTF-8''%E9%BE%99%E6%B8%AF" in r.headers["content-disposition"]
    r = c.get(links[1][0])
    assert r.status_code == 200 and r.content == copy.read_bytes()
    r = c.get(f"/reports/{rid}/original")
    assert r.status_code == 200 and r.content == LONGGANG.read_bytes()
    for url, status, words in (
        (f"/reports/{rid}/files/{'f' * 64}", 404, "没有这个文件"),
        (f"/reports/{rid}/files/not-a-sha", 404, "文件编号无效"),
        ("/reports/999/original", 404, "报告 999 不存在"),
    ):
        r = c.get(url)
        assert r.status_code == status and words in r.text and "出错了" in r.text, url


def test_an_unreadable_file_can_be_downloaded_re_read_and_deleted(tmp_path):
    db = str(tmp_path / "w.db")
    junk = tmp_path / "坏文件.pdf"
    junk.write_bytes(b"%PDF-1.4 not really a pdf \x00\x01\x02")
    with store.open_store(db) as s:
        got = pipeline.ingest_bytes(s, junk.read_bytes(), str(junk))
    assert got.status == "failed"
    c = client_for(db)
    page = c.get(f"/reports/{got.report_id}").text
    assert "无法读取" in page and f'action="/reports/{got.report_id}/reread"' in page
    assert f'href="/reports/{got.report_id}/delete"' in page
    r = c.get(f"/reports/{got.report_id}/original")
    assert r.status_code == 200 and r.content == junk.read_bytes() and r.headers["content-type"] == "application/pdf"
    r = c.post(f"/reports/{got.report_id}/reread", data={"csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303
    assert "仍无法读取" in c.get(r.headers["location"]).text
    r = c.post(f"/reports/{got.report_id}/delete", data={"confirm": str(got.report_id), "csrf": csrf_of(c)},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/audit"
    assert count(db, S.reports) == 0 and count(db, S.originals) == 0
    assert [e.action for e in audit_rows(db)] == ["reread", "delete"]


def test_reread_keeps_corrections_and_reviews_and_is_audited(tmp_path):
    db = str(tmp_path / "w.db")
    rid = ingest(db, LONGGANG)
    c = client_for(db)
    token = csrf_of(c)
    with store.open_store(db) as s:
        read = store.get_report(s, rid).report.get(TOTAL)
        fid = next(f["id"] for f in store.iter_findings(s, report_id=rid))
    r = c.post(f"/reports/{rid}/override", data={"path": [TOTAL], "value": [str(read + 1)], "reason": "核对原文", "csrf": token},
               follow_redirects=False)
    assert r.status_code == 303
    r = c.post(f"/findings/{fid}/review", data={"state": "dismissed", "note": "已核实", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    assert c.post(f"/reports/{rid}/reread", data={}).status_code == 403  # no token: refused
    r = c.post(f"/reports/{rid}/reread", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/reports/{rid}?done=reread#report-actions"
    with store.open_store(db) as s:
        sr = store.get_report(s, rid)
        assert sr.report.get(TOTAL) == read + 1  # the correction applied again
        assert [o.new_value for o in store.list_overrides(s, rid)] == [read + 1]
        states = {f["id"]: f["state"] for f in store.iter_findings(s, report_id=rid)}
    assert states.get(fid) == "dismissed"
    page = c.get(r.headers["location"]).text
    assert 'id="reread-notice"' in page
    [event] = [e for e in audit_rows(db) if e.action == "reread"]
    assert event.report_id == rid and "重新读取" in event.summary and event.author == "本机用户"
    assert c.post("/reports/999/reread", data={"csrf": token}).status_code == 404


def audit_rows(db: str) -> list:
    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(S.audit_events).order_by(S.audit_events.c.id)).all()


def test_delete_asks_for_confirmation_then_removes_everything_and_is_audited(tmp_path):
    db = str(tmp_path / "w.db")
    r2021 = ingest(db, LONGGANG)
    r2022 = add(db, "龙港市人民政府", 2022, "b" * 64)
    with store.open_store(db) as s:  # the 2022 report carries cross-year findings naming 2021
        assert {f["other"]["report_id"] for f in store.iter_findings(s, report_id=r2022) if f.get("other")} == {r2021}
        sha = store.get_report(s, r2021).report.source.sha256
    c = client_for(db)
    token = csrf_of(c)
    confirm = c.get(f"/reports/{r2021}/delete")
    assert confirm.status_code == 200 and 'id="delete-form"' in confirm.text
    preview = re.sub(r"<[^>]+>", "", confirm.text.split('id="delete-preview"')[1].split("</ul>")[0])
    cells = cell_count(db, r2021)
    assert f"单元格 {cells} 个" in preview and "原始文件 1 个" in preview and "引用本报告" in preview
    # without the typed id: refused, nothing deleted
    r = c.post(f"/reports/{r2021}/delete", data={"confirm": "", "csrf": token})
    assert r.status_code == 400 and f"请在确认框中填写报告编号 {r2021}" in r.text
    assert c.post(f"/reports/{r2021}/delete", data={"confirm": str(r2021)}).status_code == 403
    assert c.get(f"/reports/{r2021}").status_code == 200
    r = c.post(f"/reports/{r2021}/delete", data={"confirm": str(r2021), "csrf": token}, follow_redirects=False)
    aid = agency_id_of(db, r2022)
    assert r.status_code == 303 and r.headers["location"] == f"/agencies/{aid}?deleted={r2021}#history"
    assert c.get(f"/reports/{r2021}").status_code == 404
    assert c.get(f"/reports/{r2021}/original").status_code == 404
    for table in (S.cell_packs, S.findings, S.source_lines, S.finding_reviews, S.overrides):
        assert count(db, table, table.c.report_id == r2021) == 0, table.name
    assert count(db, S.findings, S.findings.c.other_report_id == r2021) == 0
    assert count(db, S.originals, S.originals.c.sha256 == sha) == 0 and count(db, S.sources, S.sources.c.sha256 == sha) == 0
    with store.open_store(db) as s:  # the later report's counts follow: no finding names the deleted one
        left = list(store.iter_findings(s, report_id=r2022))
        assert not [f for f in left if (f.get("other") or {}).get("report_id") == r2021]
        row = store.get_report(s, r2022).summary
        assert row.n_warnings == sum(1 for f in left if f["severity"] == "warning")
    [event] = audit_rows(db)
    assert event.action == "delete" and event.report_id == r2021 and f"删除报告 #{r2021}" in event.summary
    history = c.get(r.headers["location"]).text
    assert f"报告 #{r2021} 已删除" in history and f"删除报告 #{r2021}" in history
    assert f"删除报告 #{r2021}" in c.get("/audit").text


def agency_id_of(db: str, report_id: int) -> int:
    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(S.reports.c.agency_id).where(S.reports.c.id == report_id)).scalar_one()


def test_a_delete_that_fails_halfway_deletes_nothing(tmp_path, monkeypatch):
    db = str(tmp_path / "w.db")
    rid = ingest(db, LONGGANG)
    cells = cell_count(db, rid)
    assert cells > 100

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit_module, "record", broken)
    from nianbao.store import report_admin

    monkeypatch.setattr(report_admin, "record", broken)  # fails after every row was deleted
    with store.open_store(db) as s, pytest.raises(RuntimeError):
        report_admin.delete_report(s, rid, "张三")
    assert count(db, S.reports, S.reports.c.id == rid) == 1
    assert cell_count(db, rid) == cells
    assert count(db, S.originals) == 1 and audit_rows(db) == []


def test_the_report_page_prints_tables_and_findings_only():
    css = (STATIC_DIR / "print.css").read_text(encoding="utf-8")
    hidden = css.split("{ display: none !important; }")[0]
    for selector in ("header.top", "footer.foot", "nav", "form", "aside.side", "#chapters", "#report-actions"):
        assert selector in hidden, selector
    assert re.search(r"#table-requests, #table-appeals \{ break-before: page;", css)


def test_the_report_page_links_the_print_stylesheet_and_its_actions(tmp_path):
    db = str(tmp_path / "w.db")
    rid = add(db, "龙港市人民政府", 2021, "a" * 64)
    page = client_for(db).get(f"/reports/{rid}").text
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in page
    assert 'id="print-button"' in page and '<script src="/static/print.js"></script>' in page
    assert f'href="/reports/{rid}/delete"' in page and f'href="/reports/{rid}/trend"' in page
    assert f'action="/reports/{rid}/agency"' in page


def test_trend_over_chosen_years_with_charts_linking_to_reports(tmp_path):
    db = str(tmp_path / "w.db")
    ids = {y: add(db, "龙港市人民政府", y, c * 64, total) for y, c, total in
           ((2019, "a", 40), (2020, "b", 55), (2021, "c", 51), (2022, "d", 70))}
    c = client_for(db)
    page = c.get(f"/reports/{ids[2022]}/trend").text
    heads = re.findall(r'<th class="n"><a href="/reports/(\d+)">(\d{4})</a></th>', page)
    assert [(int(i), int(y)) for i, y in heads] == [(ids[y], y) for y in (2019, 2020, 2021, 2022)]
    row = page.split(f'id="trend-{TOTAL.replace(".", "-")}"')[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", x).strip() for x in re.findall(r'<td class="n">(.*?)</td>', row)]
    assert cells == ["40", "55 ▲15", "51 ▼4", "70 ▲19"]
    # three years chosen: three columns, and the chart's bars open those reports
    page = c.get(f"/reports/{ids[2022]}/trend?years=2019&years=2021&years=2022&cell={TOTAL}").text
    assert len(re.findall(r'<th class="n"><a href="/reports/', page)) == 3
    option = json.loads(htmllib.unescape(re.search(r'id="trend-chart-1" data-path="[^"]+" data-option="([^"]+)"', page).group(1)))
    assert option["xAxis"]["data"] == ["2019", "2021", "2022"]
    assert option["series"][0]["data"] == [{"value": 40, "url": f"/reports/{ids[2019]}"},
                                           {"value": 51, "url": f"/reports/{ids[2021]}"},
                                           {"value": 70, "url": f"/reports/{ids[2022]}"}]
    assert '<script src="/static/trend.js"></script>' in page


def test_trend_bad_parameters_give_the_chinese_error_page(tmp_path):
    db = str(tmp_path / "w.db")
    rid = add(db, "龙港市人民政府", 2021, "a" * 64)
    orphan = seed001_report("x", 2021, "b" * 64)
    orphan.meta.agency = None
    with store.open_store(db) as s:
        oid = pipeline.add_report(s, orphan)
    c = client_for(db)
    for url, status, words in (
        (f"/reports/{rid}/trend?years=二〇二一", 400, "参数“years”应为四位年度"),
        (f"/reports/{rid}/trend?cell=tables.nothing.here", 400, "参数“cell”不是年报表格中的单元格"),
        (f"/reports/{oid}/trend", 400, "尚未确定机关"),
        ("/reports/999/trend", 404, "报告 999 不存在"),
        (f"/reports/{rid}/delete/x", 404, "页面或报告不存在"),
    ):
        r = c.get(url)
        assert r.status_code == status and words in r.text and "出错了" in r.text, url
    one = c.get(f"/reports/{rid}/trend").text
    assert "只有一个年度的报告" in one
