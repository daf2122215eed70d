"""年报列表 in a real browser (issue 15 §3): sort by a header, go to page 2, open a report, and come
Back to the same sorted page (a whole page, never a bare fragment), then Back and Forward again."""

from __future__ import annotations

import sys

import pytest

from browser_helpers import REPO, serving, shot

pytestmark = pytest.mark.browser

YEARS = (2019, 2020, 2021, 2022, 2023)
N_AGENCIES = 26  # 130 reports: two pages of 100


def agency(i: int) -> str:
    return f"测试{chr(ord('甲') + i)}县人民政府"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``nianbao serve`` over a corpus of 130 generated reports."""
    sys.path.insert(0, str(REPO / "tests"))
    from test_web_data import seed001_report

    from nianbao import pipeline, store

    db = tmp_path_factory.mktemp("list") / "list.db"
    with store.open_store(str(db)) as s:
        n = 0
        for i in range(N_AGENCIES):
            for y in YEARS:
                n += 1
                pipeline.add_report(s, seed001_report(agency=agency(i), year=y, sha=f"{n:064x}"), check=True)
    with serving(db) as base:
        yield base


def first_row(tab) -> tuple[str, str]:
    cells = tab.locator("#report-table tbody tr:first-child td")
    return cells.nth(0).inner_text().strip(), cells.nth(3).inner_text().strip()


def test_sort_page_open_a_report_and_come_back(server, tab):
    tab.goto(server + "/reports")
    assert "第 1 / 2 页（共 130 份）" in tab.inner_text("#results")
    tab.click('#report-table th a[data-sort="year"]')  # a year: newest first
    tab.wait_for_url("**sort=year&dir=desc**")
    tab.wait_for_selector('#report-table th a[data-sort="year"][aria-sort="descending"]')  # the rows swapped
    assert first_row(tab) == (agency(0), "2023")
    tab.click("#results >> text=下一页 ›")
    tab.wait_for_url("**page=2**")
    tab.wait_for_selector("#results >> text=第 2 / 2 页")
    # 26 reports a year: rows 79–104 are 2020's, so page 2 opens with the 23rd agency's 2020 report
    assert first_row(tab) == (agency(22), "2020")
    shot(tab, "30-reports-sorted-page-2")
    tab.click("#report-table tbody tr:first-child td:first-child a")
    tab.wait_for_url("**/reports/*")
    assert "2020" in tab.inner_text("h1") and agency(22) in tab.inner_text("body")
    tab.go_back()
    tab.wait_for_url("**/reports?sort=year&dir=desc&page=2")
    assert first_row(tab) == (agency(22), "2020")
    assert tab.inner_text('#report-table th a[data-sort="year"]') == "年度 ▼"
    assert tab.locator("header.top nav").count() == 1 and "<" not in tab.title()  # a whole page
    tab.go_back()
    tab.wait_for_url(lambda url: "page=2" not in url and "sort=year" in url)
    tab.wait_for_selector("#results >> text=第 1 / 2 页")
    assert first_row(tab) == (agency(0), "2023")
    tab.go_forward()
    tab.wait_for_url("**page=2**")
    tab.wait_for_selector("#results >> text=第 2 / 2 页")
    assert first_row(tab) == (agency(22), "2020")


def test_a_reload_of_the_pushed_url_is_the_same_page(server, tab):
    tab.goto(server + "/reports?sort=year&dir=desc&page=2")
    assert first_row(tab) == (agency(22), "2020")
    tab.reload()
    assert first_row(tab) == (agency(22), "2020") and tab.locator("header.top nav").count() == 1
