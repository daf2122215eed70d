"""The 更正 form of the report page: several cells at once through the one correction path
(re-checked at once), and a refused value shown on the form with nothing recorded."""

from __future__ import annotations

import re

from nianbao import pipeline, store
from test_web_app import client_for, csrf_of
from test_web_data import seed001_report

TOTAL = "tables.requests.new_received.total"
FEES = "tables.active.fees.amount"


def misprinted(db: str) -> int:
    """seed001 with 本年新收 总计 read as 67 under a row of 66: a row-total and a balance error."""
    r = seed001_report()
    r.set(TOTAL, 67)
    with store.open_store(db) as s:
        return pipeline.add_report(s, r, check=True)


def rules_on(db: str, rid: int) -> set[str]:
    with store.open_store(db) as s:
        return {(f["rule"]) for f in store.iter_findings(s, report_id=rid) if TOTAL in f["cells"]}


def test_several_cells_corrected_at_once_and_rechecked(tmp_path):
    db = str(tmp_path / "web.db")
    rid = misprinted(db)
    assert {"requests.row_total", "requests.balance"} <= rules_on(db, rid)
    c = client_for(db)
    form = {"path": [TOTAL, FEES, ""], "value": ["66", "1627.8", ""], "reason": "按原文更正", "csrf": csrf_of(c)}
    r = c.post(f"/reports/{rid}/override", data=form, follow_redirects=False)
    assert r.status_code == 303
    assert not {"requests.row_total", "requests.balance"} & rules_on(db, rid)  # re-checked at once
    html = c.get(f"/reports/{rid}").text
    events = html.split('id="overrides"')[1].split("</section>")[0]
    assert "按原文更正" in events and events.count("<tr>") == 3  # header + two corrections
    cell = re.search(r'<td id="c-tables-requests-new_received-total" class="([^"]+)"[^>]*>(.*?)</td>', html, re.S)
    assert "overridden" in cell.group(1) and re.search(r'66\s*<s class="orig">67</s>', cell.group(2))
    with store.open_store(db) as s:
        assert store.get_report(s, rid).report.get(FEES) == 1627.8


def test_a_refused_value_is_shown_on_the_form_and_nothing_is_recorded(tmp_path):
    db = str(tmp_path / "web.db")
    rid = misprinted(db)
    c = client_for(db)
    form = {"path": [TOTAL, FEES], "value": ["66", "十二"], "reason": "按原文更正", "csrf": csrf_of(c)}
    r = c.post(f"/reports/{rid}/override", data=form)
    assert r.status_code == 400
    msg = re.search(r'<p class="form-error" id="override-error" role="alert">(.*?)</p>', r.text, re.S)
    assert msg and "“十二”不是数字" in msg.group(1) and "收费金额" in msg.group(1)
    assert 'id="override-form"' in r.text and 'value="十二"' in r.text  # the page, with what was typed
    r = c.post(f"/reports/{rid}/override", data={**form, "value": ["-5", "1"]})
    assert r.status_code == 400 and "负数" in r.text
    r = c.post(f"/reports/{rid}/override", data={"path": ["", ""], "value": ["", ""], "reason": "x", "csrf": form["csrf"]})
    assert r.status_code == 400 and "请选择要更正的单元格" in r.text
    with store.open_store(db) as s:
        assert store.list_overrides(s, rid) == []
        assert store.get_report(s, rid).report.get(TOTAL) == 67


def test_reviewing_a_finding_on_the_report_page_and_its_history(tmp_path):
    db = str(tmp_path / "web.db")
    rid = misprinted(db)
    with store.open_store(db) as s:
        fid = next(f["id"] for f in store.iter_findings(s, report_id=rid) if f["rule"] == "requests.balance")
    c = client_for(db)
    token = csrf_of(c)
    html = c.get(f"/reports/{rid}").text
    box = html.split(f'id="review-{fid}"')[1].split("</div>")[0]
    assert "待处理" in box and f'action="/findings/{fid}/review"' in box
    assert c.post(f"/findings/{fid}/review", data={"state": "dismissed", "note": "x"}).status_code == 403  # no CSRF
    r = c.post(f"/findings/{fid}/review", data={"state": "explained", "note": " ", "csrf": token})
    assert r.status_code == 400
    assert "必须写明说明内容" in r.text.split(f'id="review-{fid}"')[1].split("</div>")[0]
    r = c.post(f"/findings/{fid}/review", data={"state": "dismissed", "note": "原表如此，已电话核实", "csrf": token},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/reports/{rid}#review-{fid}"
    html = c.get(f"/reports/{rid}").text
    box = html.split(f'id="review-{fid}"')[1].split("</div>")[0]
    assert "已排除" in box and "原表如此，已电话核实" in box
    hist = html.split('id="history"')[1].split("</section>")[0]
    assert "待处理" in hist and "已排除" in hist and "原表如此，已电话核实" in hist
    assert c.post("/findings/1-00000000/review", data={"state": "dismissed", "csrf": token}).status_code == 404

    # correcting the misread cell resolves the finding; the page keeps it under 已消除 with its history
    form = {"path": [TOTAL], "value": ["66"], "reason": "原文为66", "csrf": token}
    assert c.post(f"/reports/{rid}/override", data=form, follow_redirects=False).status_code == 303
    html = c.get(f"/reports/{rid}").text
    assert f'id="review-{fid}"' not in html
    assert fid in html.split('id="resolved"')[1].split("</section>")[0]
    hist = html.split('id="history"')[1].split("</section>")[0]
    assert "原文为66" in hist and "已消除" in hist
