"""The readers of many reports' cells (report page, trend, rankings, overview) read the packs of
``cell_packs``: a corrected value, a cell without a value and a path only one report has give the
answers worked out by hand below, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from nianbao.model import Meta, Provenance, Report, Source, Tables
from nianbao.pipeline import add_report
from nianbao.store import add_override, get_report
from nianbao.store.query import Filters, _overview
from nianbao.store.rankings import _unit_rates
from nianbao.store.trend import agency_trend

RQ = "tables.requests.{}.total"
SECRET = RQ.format("denied_state_secret")


def _report(agency: str, year: int, sha: str, new, granted, partial, processed, recon=None, **more) -> Report:
    r = Report(
        source=Source(path=f"{agency}{year}.txt", sha256=sha, format="text"),
        meta=Meta(agency=agency, year=year, template="2021"),
        tables=Tables(),
    )
    for row, v in (("new_received", new), ("granted", granted), ("partially_granted", partial), ("processed_total", processed)):
        r.set(RQ.format(row), v)
    for f, v in zip(("upheld", "corrected", "other", "pending", "total"), recon or ()):
        r.set(f"tables.appeals.reconsideration.{f}", v)
    for path, v in more.items():
        r.set(path.replace("__", "."), v)
    return r


@pytest.fixture
def corpus(store):
    """龙港 2021 and 2022 (浙江省), 洞头 2022 (浙江省, 部分公开 without a value), 高陵 2022 (陕西省, 本年新收
    without a value, no table four); only 龙港 2022 has 不予公开·属于国家秘密 (3); 龙港 2022's 予以公开
    corrected 60 → 70."""
    ids = {
        "龙港2021": add_report(store, _report("龙港市人民政府", 2021, "1" * 64, 40, 30, 5, 40, (2, 1, 1, 0, 4))),
        "龙港2022": add_report(store, _report("龙港市人民政府", 2022, "2" * 64, 100, 60, 10, 80, (3, 1, 0, 0, 4),
                                            **{SECRET.replace(".", "__"): 3})),
        "洞头2022": add_report(store, _report("温州市洞头区人民政府", 2022, "3" * 64, 50, 20, None, 40, (1, 1, 0, 0, 2))),
        "高陵2022": add_report(store, _report("西安市高陵区人民政府", 2022, "4" * 64, None, 8, 2, 10)),
    }
    add_override(store, ids["龙港2022"], RQ.format("granted"), 70, "核对原件", "王五")
    return ids


def test_one_reports_cells_with_their_value_as_read_and_provenance(store):
    r = _report("龙港市人民政府", 2022, "5" * 64, 100, 60, None, 80, **{SECRET.replace(".", "__"): 3})
    r.provenance[RQ.format("new_received")] = Provenance(raw="一百", line=12, page=2)
    rid = add_report(store, r)
    add_override(store, rid, RQ.format("granted"), 70, "核对原件", "王五")
    add_override(store, rid, RQ.format("carried_over"), 5, "原件有此数", "王五")  # a cell the report did not have
    cells = get_report(store, rid).cells
    by_path = {c["path"]: c for c in cells}
    assert [c["path"] for c in cells] == sorted(by_path)
    assert set(by_path) == {RQ.format(x) for x in ("new_received", "granted", "partially_granted", "processed_total",
                                                    "denied_state_secret", "carried_over")}
    assert by_path[RQ.format("new_received")] == {"path": RQ.format("new_received"), "value": 100, "read_value": 100,
                                                  "raw": "一百", "line": 12, "page": 2}
    assert by_path[RQ.format("granted")] == {"path": RQ.format("granted"), "value": 70, "read_value": 60,
                                             "raw": None, "line": None, "page": None}
    assert (by_path[RQ.format("partially_granted")]["value"], by_path[RQ.format("partially_granted")]["read_value"]) == (None, None)
    assert (by_path[RQ.format("carried_over")]["value"], by_path[RQ.format("carried_over")]["read_value"]) == (5, None)
    assert (by_path[SECRET]["value"], by_path[RQ.format("processed_total")]["value"]) == (3, 80)


def test_trend_of_an_agency_over_its_years(store, corpus):
    agency = get_report(store, corpus["龙港2022"]).summary.agency_id
    t = agency_trend(store, agency)
    assert [y for y, _ in t.years] == [2021, 2022]
    rows = {row.path: row.values for row in t.rows}
    assert rows[RQ.format("granted")] == [30, 70]  # the corrected value
    assert rows[RQ.format("new_received")] == [40, 100]
    assert rows[SECRET] == [None, 3]  # only 2022 has it
    assert rows["tables.appeals.reconsideration.corrected"] == [1, 1]
    assert "tables.appeals.reconsideration.pending" not in rows  # zero every year: left out
    assert RQ.format("carried_over") not in rows  # no report has it


def rates(store, metric, **kw):
    kw = {"year": None, "level": "agency", "region": None, "min_n": 10, **kw}
    return {r.unit: (r.k, r.n, r.reports) for r in _unit_rates(store, metric, **kw)}


def test_rankings_count_reports_whose_every_cell_is_known(store, corpus):
    # 公开率 = (予以公开 + 部分公开) ÷ 办理结果总计. 2022: 龙港 (70 + 10)/80 after the correction;
    # 洞头's 部分公开 has no value: not counted; 高陵 (8 + 2)/10.
    assert rates(store, "disclosure_rate", year=2022) == {"龙港市人民政府": (80, 80, 1), "西安市高陵区人民政府": (10, 10, 1)}
    assert rates(store, "disclosure_rate", year=2022, level="province") == {"浙江省": (80, 80, 1), "陕西省": (10, 10, 1)}
    # both years of 龙港: (30 + 5) + 80 = 115 of 40 + 80 = 120
    assert rates(store, "disclosure_rate")["龙港市人民政府"] == (115, 120, 2)
    assert rates(store, "disclosure_rate", year=2022, region="陕西省") == {"西安市高陵区人民政府": (10, 10, 1)}
    # 不予公开率 needs the eight 不予公开 cells: only 龙港 2022 has one of them, so nobody is counted
    assert rates(store, "denial_rate", year=2022) == {}
    # 复议纠错率 = 纠正 ÷ (维持 + 纠正 + 其他): 龙港 1/4, 洞头 1/2; 高陵 has no table four
    assert rates(store, "reconsideration_correction_rate", year=2022, level="province") == {"浙江省": (2, 6, 2)}


def test_overview_sums_by_year(store, corpus):
    o = _overview(store, Filters())
    # 本年新收: 2021 龙港 40; 2022 龙港 100 + 洞头 50 + 高陵 (no value) = 150
    assert o.requests_by_year == [(2021, 40), (2022, 150)]
    # 予以公开 30 + 70 (corrected) + 20 + 8; 部分公开 5 + 10 + (no value) + 2; 不予公开 3 (龙港 2022 only)
    assert o.outcomes == [("予以公开", 128), ("部分公开", 17), ("不予公开", 3), ("无法提供", 0), ("不予处理", 0), ("其他处理", 0)]
    # 复议纠错率: 2021 1/(2+1+1) = 25.0 %; 2022 (1+1)/(4+2) = 33.3 %; no 诉讼 cells at all
    assert o.correction == [(2021, 25.0, None), (2022, 33.3, None)]
    one = _overview(store, Filters(q="洞头"))
    assert one.requests_by_year == [(2022, 50)]
    assert one.outcomes[:3] == [("予以公开", 20), ("部分公开", 0), ("不予公开", 0)]
    assert one.correction == [(2022, 50.0, None)]
    none = _overview(store, Filters(year=2019))
    assert (none.requests_by_year, none.correction) == ([], [])
    assert none.outcomes[0] == ("予以公开", 0)
