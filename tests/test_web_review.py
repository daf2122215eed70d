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
