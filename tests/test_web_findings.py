"""问题: the findings of the whole corpus in one list, filtered, sorted, paged, each linked to its
cell; the state filter follows the reviews."""

from __future__ import annotations

import re

from nianbao import pipeline, store
from nianbao.store.review import review
from test_web_app import client_for
from test_web_data import seed001_report

TOTAL = "tables.requests.new_received.total"


def corpus(tmp_path) -> tuple[str, int, int]:
    db = str(tmp_path / "f.db")
    with store.open_store(db) as s:
        bad = seed001_report(agency="龙港市人民政府", year=2022, sha="1" * 64)
        bad.set(TOTAL, 67)  # the row sums to 66: a row-total and a balance error
        rid = pipeline.add_report(s, bad, check=True)
        other = pipeline.add_report(s, seed001_report(agency="西安市高陵区人民政府", year=2021, sha="2" * 64), check=True)
    return db, rid, other


def rows_of(html: str) -> list[str]:
    body = html.split('id="finding-table"')[1].split("</table>")[0]
    return re.findall(r"<tr class=\"sev-(\w+)\">(.*?)</tr>", body, re.S)


def test_the_corpus_findings_filtered_sorted_and_linked(tmp_path):
    db, rid, other = corpus(tmp_path)
    with store.open_store(db) as s:
        expected = [f for f in store.iter_findings(s)]
        balance = next(f for f in expected if f["rule"] == "requests.balance")
    c = client_for(db)
    html = c.get("/findings").text
    assert f"共 {len(expected)} 条问题" in html
    rows = rows_of(html)
    assert len(rows) == len(expected)
    severities = [sev for sev, _ in rows]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)  # worst first
    errors = rows_of(c.get("/findings", params={"severity": "error"}).text)
    assert errors and all(sev == "error" for sev, _ in errors)
    assert all("龙港市人民政府" in row for _, row in errors)
    # each finding links to its place on the report page: its review box and its first cell
    row = next(r for _, r in errors if "本年新收(67)" in r)
    assert f'href="/reports/{rid}#review-{balance["id"]}"' in row
    assert f'href="/reports/{rid}#c-{balance["cells"][0].replace(".", "-")}"' in row
    # by year and agency
    only_2021 = c.get("/findings", params={"year": 2021}).text
    assert all("西安市高陵区人民政府" in r for _, r in rows_of(only_2021))
    by_rule = rows_of(c.get("/findings", params={"rule": "requests.balance"}).text)
    assert len(by_rule) == 1


def test_the_state_filter_follows_reviews_and_corrections(tmp_path):
    db, rid, _ = corpus(tmp_path)
    with store.open_store(db) as s:
        balance = next(f for f in store.iter_findings(s, report_id=rid) if f["rule"] == "requests.balance")
        review(s, balance["id"], "dismissed", "原表如此", "张三")
    c = client_for(db)
    dismissed = rows_of(c.get("/findings", params={"state": "dismissed"}).text)
    assert len(dismissed) == 1 and "原表如此" in dismissed[0][1] and "已排除" in dismissed[0][1]
    assert all("已排除" not in r for _, r in rows_of(c.get("/findings", params={"state": "open"}).text))
    from nianbao.corrections import correct

    with store.open_store(db) as s:
        correct(s, rid, [(TOTAL, "66")], "原文为66", "李四")
    resolved = rows_of(c.get("/findings", params={"state": "resolved"}).text)
    assert any("本年新收(67)" in r and "已消除" in r for _, r in resolved)
    assert not rows_of(c.get("/findings", params={"state": "dismissed"}).text)
