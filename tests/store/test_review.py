"""The finding workflow and corrections (spec §7) through the CLI, on SQLite (and PostgreSQL when
NIANBAO_TEST_PG_URL is set): stable ids, reviews kept across reparse, resolved and reopened
findings, corrections re-checked at once and read everywhere, history, refused input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
LONGGANG = SEEDS / "004_09848c8a4e14a3e3.txt"  # 龙港市人民政府 2021: 本年新收 总计 166 (136+2+0+0+27+1)
NEW_TOTAL = "tables.requests.new_received.total"


def run(*args: str, ok: bool = True):
    r = CliRunner().invoke(app, [str(a) for a in args])
    if ok:
        assert r.exit_code == 0, r.output
    return r


def lines(result) -> list[dict]:
    return [json.loads(x) for x in result.stdout.splitlines() if x.strip()]


@pytest.fixture
def broken(tmp_path) -> Path:
    """The 龙港 report with its 本年新收 总计 misprinted as 167 (the row sums to 166)."""
    text = LONGGANG.read_text(encoding="utf-8").splitlines()
    i = text.index("一、本年新收政府信息公开申请数量")
    j = next(k for k in range(i, i + 20) if text[k].strip() == "166")
    text[j] = "167"
    p = tmp_path / "longgang2021.txt"
    p.write_text("\n".join(text) + "\n", encoding="utf-8")
    return p


def findings(db, *args) -> list[dict]:
    return lines(run("findings", "--db", db, "--json", *args))


def test_a_dismissal_survives_reparse_and_ids_are_stable(store_url, broken):
    run("ingest", broken, "--db", store_url, "--workers", "1")
    before = findings(store_url)
    assert before and all(f["state"] == "open" and f["review"] is None for f in before)
    ids = [f["id"] for f in before]
    assert len(set(ids)) == len(ids)
    balance = next(f for f in before if f["rule"] == "requests.row_total" and NEW_TOTAL in f["cells"])
    run("review", balance["id"], "dismissed", "--note", "原表如此，已与机关核实", "--by", "张三", "--db", store_url)
    run("reparse", "--all", "--db", store_url, "--workers", "1")
    after = findings(store_url)
    assert sorted(f["id"] for f in after) == sorted(ids)  # the same findings keep their ids
    again = next(f for f in after if f["id"] == balance["id"])
    assert again["state"] == "dismissed"
    assert again["review"]["by"] == "张三" and again["review"]["note"] == "原表如此，已与机关核实"
    assert [f["id"] for f in findings(store_url, "--state", "dismissed")] == [balance["id"]]
    assert balance["id"] not in [f["id"] for f in findings(store_url, "--state", "open")]


def test_a_correction_removes_the_identity_error_at_once_and_shows_everywhere(store_url, broken, tmp_path):
    run("ingest", broken, "--db", store_url, "--workers", "1")
    errors = findings(store_url, "--severity", "error")
    row_total = [f for f in errors if f["rule"] == "requests.row_total" and NEW_TOTAL in f["cells"]]
    assert len(row_total) == 1 and "167" in row_total[0]["message"]
    rid = row_total[0]["report_id"]
    run("review", row_total[0]["id"], "confirmed", "--by", "张三", "--db", store_url)

    run("correct", rid, NEW_TOTAL, "166", "--note", "原文为166，读取有误", "--by", "李四", "--db", store_url)
    now = findings(store_url)
    assert not [f for f in now if f["rule"] == "requests.row_total" and NEW_TOTAL in f["cells"]]
    gone = findings(store_url, "--state", "resolved")
    assert row_total[0]["id"] in [f["id"] for f in gone]
    assert next(f for f in gone if f["id"] == row_total[0]["id"])["review"]["by"] == "张三"  # kept with its review

    # export (long, wide) and compare read the corrected value; the value as read stays in history
    out = tmp_path / "long.csv"
    run("export", out, "--shape", "long", "--db", store_url)
    with out.open(encoding="utf-8-sig") as fh:
        cell = [r for r in csv.DictReader(fh) if r["path"] == NEW_TOTAL]
    assert [r["value"] for r in cell] == ["166"]
    out = tmp_path / "wide.csv"
    run("export", out, "--shape", "wide", "--db", store_url)
    with out.open(encoding="utf-8-sig") as fh:
        assert [r[NEW_TOTAL] for r in csv.DictReader(fh)] == ["166"]
    cmp = json.loads(run("compare", "龙港市人民政府", "2020", "2021", "--db", store_url, "--json").stdout)
    assert next(c for c in cmp["cells"] if c["path"] == NEW_TOTAL)["values"] == [None, 166]

    hist = lines(run("history", rid, "--db", store_url, "--json"))
    corr = [h for h in hist if h["kind"] == "correction"]
    assert corr == [{
        "kind": "correction", "at": corr[0]["at"], "by": "李四", "cell": NEW_TOTAL,
        "label": "表三“一、本年新收政府信息公开申请数量”行“总计”列", "old": 167, "new": 166, "read": 167,
        "note": "原文为166，读取有误",
    }]
    reviews = [(h["finding"], h["old"], h["new"], h["by"]) for h in hist if h["kind"] == "review"]
    assert (row_total[0]["id"], "open", "confirmed", "张三") in reviews
    assert (row_total[0]["id"], "confirmed", "resolved", None) in reviews
    text = run("history", rid, "--db", store_url).stdout
    assert "167 → 166" in text and "原文为166，读取有误" in text and "李四" in text

    # the misprint comes back: the finding returns with its id, in its former state, history kept
    run("correct", rid, NEW_TOTAL, "167", "--note", "复核：原文确为167", "--by", "王五", "--db", store_url)
    back = [f for f in findings(store_url) if f["id"] == row_total[0]["id"]]
    assert len(back) == 1 and back[0]["state"] == "confirmed"
    hist = lines(run("history", rid, "--db", store_url, "--json"))
    assert [(h["old"], h["new"]) for h in hist if h["kind"] == "correction"] == [(167, 166), (166, 167)]
    assert (row_total[0]["id"], "resolved", "confirmed") in [(h.get("finding"), h["old"], h["new"]) for h in hist]


def test_two_people_correcting_one_cell_both_kept_the_later_wins(store_url, broken):
    run("ingest", broken, "--db", store_url, "--workers", "1")
    rid = findings(store_url)[0]["report_id"]
    run("correct", rid, NEW_TOTAL, "166", "--by", "张三", "--db", store_url)
    run("correct", rid, NEW_TOTAL, "170", "--by", "李四", "--note", "以纸质版为准", "--db", store_url)
    hist = [h for h in lines(run("history", rid, "--db", store_url, "--json")) if h["kind"] == "correction"]
    assert [(h["by"], h["old"], h["new"], h["read"]) for h in hist] == [("张三", 167, 166, 167), ("李四", 166, 170, 167)]
    cmp = json.loads(run("compare", "龙港市人民政府", "2020", "2021", "--db", store_url, "--json").stdout)
    assert next(c for c in cmp["cells"] if c["path"] == NEW_TOTAL)["values"] == [None, 170]
    # 136+2+0+0+27+1 = 166 ≠ 170: the row-total error is back with the later value
    assert any(f["rule"] == "requests.row_total" and "170" in f["message"] for f in findings(store_url))


@pytest.mark.parametrize(
    "args, message",
    [
        (["999", NEW_TOTAL, "1"], "报告 999 不存在"),
        (["{rid}", "tables.requests.nope.total", "1"], "不是本报告表格中的单元格"),
        (["{rid}", "tables.requests", "1"], "不是本报告表格中的单元格"),
        (["{rid}", NEW_TOTAL, "十二"], "不是数字"),
        (["{rid}", NEW_TOTAL, "-3"], "负数"),
        (["{rid}", NEW_TOTAL, "2.5"], "不是整数"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_is_recorded(store_url, broken, args, message):
    run("ingest", broken, "--db", store_url, "--workers", "1")
    rid = findings(store_url)[0]["report_id"]
    before = findings(store_url)
    r = run("correct", *[a.format(rid=rid) for a in args], "--db", store_url, ok=False)
    assert r.exit_code == 1
    assert message in r.stderr
    assert lines(run("history", rid, "--db", store_url, "--json")) == []
    assert findings(store_url) == before


def test_bad_reviews_are_refused(store_url, broken):
    run("ingest", broken, "--db", store_url, "--workers", "1")
    fid = findings(store_url)[0]["id"]
    r = run("review", "1-00000000", "dismissed", "--db", store_url, ok=False)
    assert r.exit_code == 1 and "不存在" in r.stderr
    r = run("review", fid, "ignored", "--db", store_url, ok=False)
    assert r.exit_code == 1 and "不是可用的处理结果" in r.stderr
    r = run("review", fid, "explained", "--db", store_url, ok=False)
    assert r.exit_code == 1 and "说明" in r.stderr
    assert all(f["state"] == "open" for f in findings(store_url))
    r = run("history", 999, "--db", store_url, ok=False)
    assert r.exit_code == 1 and "报告 999 不存在" in r.stderr
    r = run("findings", "--state", "closed", "--db", store_url, ok=False)
    assert r.exit_code == 2
