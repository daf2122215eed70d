"""Coverage, compare, export, overrides, agencies and metrics over a stored corpus."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from nianbao import synth
from nianbao.errors import StoreError
from nianbao.metrics import METRIC_BY_KEY, compute_all
from nianbao.model import Meta, Report, Source, Tables
from nianbao.pipeline import add_report, ingest
from nianbao.store import (
    add_override,
    compare,
    coverage,
    export,
    list_agencies,
    list_overrides,
    report_with_overrides,
)

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
LONGGANG = SEEDS / "004_09848c8a4e14a3e3.txt"


def _report(agency: str, year: int, new_total: int, forward: int, recon=(0, 8, 1, 0, 9)) -> Report:
    r = Report(
        source=Source(path=f"{agency}{year}.json", sha256="x", format="text"),
        meta=Meta(agency=agency, year=year, template="2021"),
        tables=Tables(),
    )
    r.set("tables.requests.new_received.total", new_total)
    r.set("tables.requests.carried_over.total", 0)
    r.set("tables.requests.granted.total", new_total - forward)
    r.set("tables.requests.partially_granted.total", 0)
    r.set("tables.requests.processed_total.total", new_total - forward)
    r.set("tables.requests.carried_forward.total", forward)
    for f, v in zip(("upheld", "corrected", "other", "pending", "total"), recon):
        r.set(f"tables.appeals.reconsideration.{f}", v)
    return r


def test_coverage_of_all_agencies_a_region_and_a_list(store, pair_check, tmp_path):
    add_report(store, _report("龙港市人民政府", 2021, 10, 1))
    add_report(store, _report("龙港市人民政府", 2022, 12, 0))
    add_report(store, _report("安吉县教育局", 2021, 5, 0))
    add_report(store, _report("乳山市乳山寨镇人民政府", 2022, 3, 0))
    cov = coverage(store, 2022)
    assert cov["year"] == 2022
    assert sorted(p["agency"] for p in cov["published"]) == ["乳山市乳山寨镇人民政府", "龙港市人民政府"]
    assert cov["missing"] == [{"agency": "安吉县教育局"}]
    # 龙港市 lies in 温州市, 浙江省; 安吉县 in 湖州市, 浙江省
    zj = coverage(store, 2022, region="浙江省")
    assert [p["agency"] for p in zj["published"]] == ["龙港市人民政府"]
    assert zj["missing"] == [{"agency": "安吉县教育局"}]
    assert coverage(store, 2022, region="温州市")["missing"] == []
    # a list: 龙港市政府 is 龙港市人民政府; 乳山寨镇人民政府 is 乳山市乳山寨镇人民政府; 长兴县 never published
    cov = coverage(store, 2022, agencies=["龙港市政府", "乳山寨镇人民政府", "长兴县教育局"])
    assert [p["agency"] for p in cov["published"]] == ["龙港市政府", "乳山寨镇人民政府"]
    assert cov["missing"] == [{"agency": "长兴县教育局"}]


def test_compare_two_years(store, pair_check):
    add_report(store, _report("龙港市人民政府", 2021, 10, 1))
    add_report(store, _report("龙港市人民政府", 2022, 12, 0))
    c = compare(store, "龙港市政府", 2021, 2022)
    assert c["agency"] == "龙港市人民政府" and c["years"] == [2021, 2022]
    cells = {x["path"]: x for x in c["cells"]}
    assert cells["tables.requests.new_received.total"]["values"] == [10, 12]
    assert cells["tables.requests.new_received.total"]["difference"] == 2
    assert cells["tables.requests.new_received.total"]["label"].startswith("表三")
    # 2022 上年结转 0 ≠ 2021 结转下年度 1: the (stand-in) cross-year finding is 2022's
    assert [f["rule"] for f in c["findings"][1]] == ["test.carry"] and c["findings"][0] == []
    rates = {m["key"]: m["values"] for m in c["metrics"]}
    assert rates["disclosure_rate"] == [1.0, 1.0]
    with pytest.raises(StoreError, match="没有这个机关"):
        compare(store, "不存在的机关", 2021, 2022)


def test_metrics_on_the_longgang_seed(store):
    (res,) = list(ingest(store, [LONGGANG], workers=1))
    from nianbao.store import get_report

    r = get_report(store, res.report_id).report
    m = compute_all(r)
    # by hand from the seed: 予以公开 103 + 部分公开 31 over （七）总计 165
    assert m["disclosure_rate"] == pytest.approx(134 / 165)
    # 行政复议: 维持 0, 纠正 8, 其他 1, 尚未审结 0 → 8 / 9
    assert m["reconsideration_correction_rate"] == pytest.approx(8 / 9)
    # 诉讼: 直接起诉 维持 2 纠正 0 其他 0; 复议后起诉 all 0 → 0 / 2
    assert m["litigation_correction_rate"] == 0
    assert m["completion_rate"] == pytest.approx(165 / 166)


def test_metrics_are_never_computed_over_null_or_zero():
    r = _report("甲", 2021, 10, 0, recon=(0, 0, 0, 0, 0))
    assert METRIC_BY_KEY["reconsideration_correction_rate"].compute(r) is None  # 0 concluded
    r.set("tables.requests.partially_granted.total", None)
    assert METRIC_BY_KEY["disclosure_rate"].compute(r) is None
    assert METRIC_BY_KEY["full_disclosure_rate"].compute(r) == 1.0
    del r.tables.requests["granted"]
    assert METRIC_BY_KEY["full_disclosure_rate"].compute(r) is None  # absent row


def test_overrides_are_events_and_the_value_read_stays(store, pair_check):
    rid = add_report(store, _report("龙港市人民政府", 2021, 10, 1))
    path = "tables.requests.new_received.total"
    o1 = add_override(store, rid, path, 11, "原表漏计一件", "张三")
    o2 = add_override(store, rid, path, 12, "复核后更正", "李四")
    assert (o1.old_value, o1.new_value, o2.old_value, o2.new_value) == (10, 11, 11, 12)
    assert [(o.author, o.reason) for o in list_overrides(store, rid)] == [("张三", "原表漏计一件"), ("李四", "复核后更正")]
    assert report_with_overrides(store, rid).get(path) == 12
    from nianbao.store import get_report

    sr = get_report(store, rid)
    assert sr.report.get(path) == 12  # the value in force, where every output reads it
    assert sr.report.corrections[path] == {"read": 10, "value": 12}  # the value as read stays
    assert [(c["value"], c["read_value"]) for c in sr.cells if c["path"] == path] == [(12, 10)]
    with pytest.raises(StoreError, match="不是年报表格"):
        add_override(store, rid, "tables.requests.nope.total", 1, "x", "张三")
    with pytest.raises(StoreError, match="不存在"):
        add_override(store, rid + 100, path, 1, "x", "张三")


def test_agencies_are_normalised_placed_or_left_ambiguous(store, pair_check):
    add_report(store, _report("龙港市人民政府", 2021, 1, 0))
    add_report(store, _report("龙港市政府", 2022, 1, 0))
    add_report(store, _report("乳山市乳山寨镇人民政府", 2021, 1, 0))
    add_report(store, _report("乳山寨镇人民政府", 2022, 1, 0))
    add_report(store, _report("潘庄镇人民政府", 2021, 1, 0))
    rows = {a.name: a for a in list_agencies(store)}
    assert len(rows) == 3
    lg = rows["龙港市人民政府"]
    assert (lg.province, lg.city, lg.county, lg.kind, lg.placement) == ("浙江省", "温州市", "龙港市", "政府", "placed")
    assert lg.years == [2021, 2022] and lg.names == ["龙港市人民政府", "龙港市政府"]
    rs = rows["乳山市乳山寨镇人民政府"]
    assert (rs.province, rs.city, rs.county, rs.township, rs.kind) == ("山东省", "威海市", "乳山市", "乳山寨镇", "乡镇/街道")
    pz = rows["潘庄镇人民政府"]
    assert pz.placement == "ambiguous" and len(pz.candidates) >= 2
    assert {c["province"] for c in pz.candidates} >= {"天津市", "山东省"}
    assert [a.name for a in list_agencies(store, placement="ambiguous")] == ["潘庄镇人民政府"]


def test_exports_wide_long_findings_in_three_formats(store, pair_check, tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    corpus = synth.corpus(3, [2021, 2022], seed=2, inject=["cross_year"])
    for r in corpus:
        add_report(store, r)
    first = corpus.reports[0]
    n = export(store, tmp_path / "wide.csv", shape="wide")
    assert n == 6
    with open(tmp_path / "wide.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    row = next(x for x in rows if x["agency_printed"] == first.meta.agency and x["year"] == str(first.meta.year))
    assert row["tables.requests.new_received.total"] == str(first.get("tables.requests.new_received.total"))
    assert row["tables.active.fees.amount"] == str(first.get("tables.active.fees.amount"))
    export(store, tmp_path / "wide_zh.csv", shape="wide", chinese_headers=True)
    header = (tmp_path / "wide_zh.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "表三“一、本年新收政府信息公开申请数量”行“总计”列" in header and "公开率" in header
    n_long = export(store, tmp_path / "long.parquet", shape="long")
    t = pa.read_table(tmp_path / "long.parquet")
    assert t.num_rows == n_long == sum(1 for r in corpus for _ in r.cells())
    assert export(store, tmp_path / "f.xlsx", shape="findings") == 1
    with zipfile.ZipFile(tmp_path / "f.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'ySplit="1"' in sheet and "autoFilter" in sheet
    wide_x = export(store, tmp_path / "wide.xlsx", shape="wide", year=2022)
    assert wide_x == 3
    with pytest.raises(StoreError, match="导出格式"):
        export(store, tmp_path / "x.txt")


def test_a_person_resolves_an_ambiguous_agency(store, pair_check):
    from nianbao.store import resolve_agency

    add_report(store, _report("潘庄镇人民政府", 2021, 1, 0))
    a = resolve_agency(store, "潘庄镇人民政府", "371581108")  # 潘庄镇 of 临清市, 聊城市, 山东省
    assert (a.placement, a.province, a.city, a.county, a.township) == ("placed", "山东省", "聊城市", "临清市", "潘庄镇")
    assert a.kind == "乡镇/街道"
    add_report(store, _report("潘庄镇人民政府", 2022, 1, 0))  # the next year joins the placed agency
    (only,) = list_agencies(store)
    assert only.years == [2021, 2022] and only.placement == "placed"
    assert coverage(store, 2022, region="临清市")["published"][0]["agency"] == "潘庄镇人民政府"
    with pytest.raises(StoreError, match="代码不存在"):
        resolve_agency(store, "潘庄镇人民政府", "999999")


def test_cli_export_is_formula_safe_and_keeps_numbers_numbers(store, pair_check, tmp_path):
    r = _report("=HYPERLINK(\"http://x\")人民政府", 2021, 10, 1)
    r.meta.title = "+年报"
    add_report(store, r)
    export(store, tmp_path / "wide.csv", shape="wide")
    with open(tmp_path / "wide.csv", encoding="utf-8-sig") as f:
        (row,) = list(csv.DictReader(f))
    assert row["agency_printed"] == "'=HYPERLINK(\"http://x\")人民政府"  # neutralised text
    assert row["tables.requests.new_received.total"] == "10"  # a number stays a number
    export(store, tmp_path / "wide.xlsx", shape="wide")
    with zipfile.ZipFile(tmp_path / "wide.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else sheet
    assert "<f>" not in sheet  # no formula cell anywhere
    assert "'=HYPERLINK" in strings
    assert "<v>10</v>" in sheet  # new_received.total written as a number


def test_the_csv_cell_writer_neutralises_every_formula_start():
    from nianbao.store.export import csv_cell

    for lead in ("=", "+", "-", "@"):
        assert csv_cell(f"{lead}1+1") == f"'{lead}1+1"
    assert csv_cell(-5) == "-5" and csv_cell(3481800.0) == "3481800" and csv_cell(None) == ""
    assert csv_cell("龙港市") == "龙港市"


def test_the_web_coverage_is_the_cli_coverage_with_details(store, pair_check):
    from nianbao.store import query

    add_report(store, _report("龙港市人民政府", 2021, 10, 1))
    add_report(store, _report("龙港市人民政府", 2022, 12, 0))
    anji = add_report(store, _report("安吉县教育局", 2021, 5, 0))
    web = query.coverage(store, 2022, query.Filters(province="浙江省"))
    cli = coverage(store, 2022, region="浙江省")
    assert [(p["agency"], p["report_id"], p["status"]) for p in web["published"]] == [
        (p["agency"], p["report_id"], p["status"]) for p in cli["published"]
    ]
    assert [m["agency"] for m in web["missing"]] == [m["agency"] for m in cli["missing"]] == ["安吉县教育局"]
    (m,) = web["missing"]
    assert m["place"].startswith("浙江省 湖州市") and m["last_year"] == 2021 and m["last_report_id"] == anji
    assert query.coverage(store, 2022, query.Filters(province="山东省")) == {"year": 2022, "published": [], "missing": []}
