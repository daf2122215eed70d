"""Rates over units: Wilson intervals (values computed by hand), the minimum n, the 排名 page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nianbao import pipeline, store
from nianbao.rates import Rate, default_min_n, rank, wilson
from nianbao.serve.app import create_app
from nianbao.store.rankings import unit_rates
from test_web_data import seed001_report


@pytest.mark.parametrize("k, n, low, high", [
    # p = k/n, z = 1.96: centre = (p + z²/2n)/(1 + z²/n), half = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n)
    (0, 10, 0.0, 0.2775),      # centre 0.19208/1.38416 = 0.13877 = half
    (5, 10, 0.2366, 0.7634),   # half = 1.96·√(0.025 + 0.009604)/1.38416 = 0.26341
    (50, 100, 0.4038, 0.5962),  # half = 1.96·√(0.0025 + 0.00009604)/1.038416 = 0.09617
    (10, 10, 0.7225, 1.0),     # the mirror of 0/10
])
def test_wilson_interval_by_hand(k, n, low, high):
    lo, hi = wilson(k, n)
    assert lo == pytest.approx(low, abs=5e-5) and hi == pytest.approx(high, abs=5e-5)


def test_no_interval_without_a_proportion():
    assert wilson(0, 0) is None
    assert wilson(12, 10) is None  # a report whose own totals disagree
    assert Rate("甲", 12, 10, 1).interval is None


def test_units_below_the_minimum_are_not_ranked(monkeypatch):
    small = Rate("某镇", 2, 2, 1)  # 100 %, but of 2 requests
    city = Rate("某市", 900, 1000, 12)
    tie = Rate("某县", 90, 100, 3)
    shown, hidden = rank([small, tie, city])
    assert [r.unit for r in shown] == ["某市", "某县"]  # equal rates: the larger denominator first
    assert hidden == [small]
    assert Rate("某镇", 2, 2, 1, min_n=2).ranked
    monkeypatch.setenv("NIANBAO_MIN_N", "25")
    assert default_min_n() == 25
    monkeypatch.delenv("NIANBAO_MIN_N")
    assert default_min_n() == 10


def _report(agency, granted, partial, processed, sha):
    r = seed001_report(agency=agency, year=2022, sha=sha)
    rq = r.tables.requests
    rq["granted"]["total"] = granted
    rq["partially_granted"]["total"] = partial
    rq["processed_total"]["total"] = processed
    return r


@pytest.fixture
def corpus(tmp_path):
    """公开率 = (予以公开 + 部分公开) ÷ 办理结果总计:
    高陵区 (陕西省) 2/2; 龙港市 (浙江省) (45+5)/100; 洞头区 (浙江省) 0/10."""
    db = str(tmp_path / "rates.db")
    ids = {}
    with store.open_store(db) as s:
        ids["高陵"] = pipeline.add_report(s, _report("西安市高陵区人民政府", 2, 0, 2, "1" * 64))
        ids["龙港"] = pipeline.add_report(s, _report("龙港市人民政府", 45, 5, 100, "2" * 64))
        ids["洞头"] = pipeline.add_report(s, _report("温州市洞头区人民政府", 0, 0, 10, "3" * 64))
    return db, ids


def test_unit_rates_sum_numerators_and_denominators(corpus):
    db, ids = corpus
    with store.open_store(db) as s:
        by_province = {r.unit: r for r in unit_rates(s, "disclosure_rate", year=2022, level="province")}
        assert (by_province["浙江省"].k, by_province["浙江省"].n, by_province["浙江省"].reports) == (50, 110, 2)
        assert (by_province["陕西省"].k, by_province["陕西省"].n) == (2, 2) and not by_province["陕西省"].ranked
        shown, hidden = rank(unit_rates(s, "disclosure_rate", year=2022, level="agency"))
        assert [(r.unit, r.k, r.n) for r in shown] == [("龙港市人民政府", 50, 100), ("温州市洞头区人民政府", 0, 10)]
        assert [r.unit for r in hidden] == ["西安市高陵区人民政府"]
        # a correction counts: 洞头区 予以公开 0 → 5 gives 5/10
        store.add_override(s, ids["洞头"], "tables.requests.granted.total", 5, "核对原件", "王五")
        rates = {r.unit: r for r in unit_rates(s, "disclosure_rate", year=2022, level="agency")}
        assert (rates["温州市洞头区人民政府"].k, rates["温州市洞头区人民政府"].n) == (5, 10)


def test_rankings_page_shows_denominators_intervals_and_hides_small_units(corpus):
    db, _ = corpus
    c = TestClient(create_app(db))
    html = c.get("/rankings", params={"metric": "disclosure_rate", "level": "agency", "year": 2022}).text
    table = html.split('id="ranking"')[1].split("</table>")[0]
    assert table.index("龙港市人民政府") < table.index("温州市洞头区人民政府")
    assert "[40.4%, 59.6%]" in table and "[0.0%, 27.8%]" in table
    assert "西安市高陵区人民政府" not in table
    assert "西安市高陵区人民政府" in html.split('id="below-min-n"')[1]
    data = c.get("/rankings", params={"level": "agency", "year": 2022, "min_n": 2, "format": "json"}).json()
    assert data["min_n"] == 2 and data["below_min_n"] == []
    first = data["items"][0]
    assert first["unit"] == "西安市高陵区人民政府" and first["numerator"] == 2 and first["denominator"] == 2
    assert first["low"] == pytest.approx(0.3424, abs=5e-5)  # Wilson 2/2: 1 − upper(0/2) = 1 − 0.6576
