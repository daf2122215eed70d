"""A list in a real browser: import a roster in the UI, then sort and page the coverage list and come
Back (and Forward) to the same state; the JSON API pages through ``next``."""

from __future__ import annotations

import httpx
import pytest

from browser_helpers import shot

pytestmark = pytest.mark.browser

N = 130  # more than one page of 100


@pytest.fixture(scope="module")
def roster(server, tab, tmp_path_factory):
    path = tmp_path_factory.mktemp("roster") / "名单.csv"
    lines = ["名称,地区,类别"] + [f"测试机关{i:03d},," for i in range(1, N + 1)] + ["坏行机关,火星市,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tab.goto(server + "/coverage")
    tab.set_input_files("#roster-import input[type=file]", str(path))
    tab.click("#roster-import button")
    tab.wait_for_selector("#roster-summary")
    shot(tab, "20-roster-imported")
    return tab.inner_text("body")


def first_agency(tab) -> str:
    return tab.inner_text("#coverage-table tbody tr:first-child td:first-child")


def test_roster_import_lists_the_bad_row(roster):
    assert f"已导入 {N} 个机关" in roster
    assert "火星市" in roster and str(N + 2) in roster  # the bad row, by its row number


def test_sort_page_and_come_back(server, tab, roster):
    tab.goto(server + "/coverage?sort=name")
    assert first_agency(tab) == "测试机关001"
    assert "第 1 / 2 页" in tab.inner_text("#coverage-results")
    tab.click('#coverage-table th a[data-sort="name"]')  # again: descending
    tab.wait_for_url("**dir=desc**")
    assert first_agency(tab) == f"测试机关{N:03d}"
    tab.click("text=下一页 ›")
    tab.wait_for_url("**page=2**")
    assert first_agency(tab) == f"测试机关{N - 100:03d}"
    shot(tab, "21-coverage-sorted-page-2")
    tab.go_back()
    tab.wait_for_url(lambda url: "page=2" not in url and "dir=desc" in url)
    assert first_agency(tab) == f"测试机关{N:03d}"
    assert "<" not in tab.title()  # a whole page, not a bare fragment
    assert tab.locator("header.top nav").count() == 1
    tab.go_back()
    tab.wait_for_url(lambda url: "dir=desc" not in url)
    assert first_agency(tab) == "测试机关001"
    tab.go_forward()
    tab.wait_for_url("**dir=desc**")
    assert first_agency(tab) == f"测试机关{N:03d}"


def test_the_api_pages_through_next(server, roster):
    url = server + "/api/agencies?limit=1"
    resp = httpx.get(url, timeout=30)
    assert resp.status_code == 200 and resp.json()["total"] == 0  # a roster is not the corpus's agencies
    cov = httpx.get(server + "/coverage?format=json", timeout=30).json()
    assert cov["total"] == N and cov["counts"]["overdue"] + cov["counts"]["not_due"] == N
