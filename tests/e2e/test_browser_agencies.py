"""Agencies and the report page in a real browser (issue 15 §2, §6): merge two agencies (a misread
name into the right one), download an original, the print preview (navigation hidden, tables
shown, a page break before each table), and the trend chart whose bars open the reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_helpers import shot

pytestmark = pytest.mark.browser

LONGGANG = Path(__file__).resolve().parent.parent.parent / "samples" / "seeds" / "004_09848c8a4e14a3e3.txt"


@pytest.fixture(scope="module")
def uploaded(server, tab, tmp_path_factory):
    """龙港 2021 as published, and 2022 printed under a misread name (龙港市人民玫府)."""
    folder = tmp_path_factory.mktemp("agencies")
    first = folder / "龙港市2021年报.txt"
    first.write_bytes(LONGGANG.read_bytes())
    text = LONGGANG.read_text(encoding="utf-8")
    second = folder / "龙港市2022年报.txt"
    second.write_text(
        text.replace("龙港市人民政府2021年", "龙港市人民玫府2022年")
        .replace("2021年1月1日起至2021年12月31日", "2022年1月1日起至2022年12月31日")
        .replace("发布日期: 2022- 01- 30", "发布日期: 2023- 01- 30"),
        encoding="utf-8",
    )
    tab.goto(server + "/upload")
    tab.set_input_files("#files", [str(first), str(second)])
    tab.click("#upload-button")
    tab.wait_for_selector("#upload-summary", timeout=120_000)
    return first, second


def test_merge_two_agencies(server, tab, uploaded):
    tab.goto(server + "/agencies?q=玫府")
    tab.locator("#agency-table a", has_text="龙港市人民玫府").click()
    tab.wait_for_selector("#merge-form")
    assert tab.inner_text("#agency-name") == "龙港市人民玫府"
    assert "2022" in tab.inner_text("#reports-by-year")
    # type part of the name: the pick list fills from the server
    tab.fill("#merge-target", "龙港市人民政")
    tab.wait_for_selector("#merge-target-options option", state="attached")
    values = tab.eval_on_selector_all("#merge-target-options option", "os => os.map(o => o.value)")
    target = next(v for v in values if v.startswith("龙港市人民政府（#"))
    tab.fill("#merge-target", target)
    tab.locator("#merge-form button", has_text="合并").click()
    tab.wait_for_url(re.compile(r"/agencies/\d+#history$"))
    assert tab.inner_text("#agency-name") == "龙港市人民政府"
    years = tab.inner_text("#reports-by-year")
    assert "2021" in years and "2022" in years
    assert "龙港市人民玫府" in tab.inner_text("#agency-meta")  # kept as a former name
    history = tab.inner_text("#history")
    assert "合并" in history and "“龙港市人民玫府”" in history and "并入本机关" in history and "本机用户" in history
    shot(tab, "30-agency-merged")
    # one agency now, found by its former name too
    tab.goto(server + "/agencies?q=玫府")
    rows = tab.locator("#agency-table tbody tr")
    assert rows.count() == 1 and "龙港市人民政府" in rows.first.inner_text()
    tab.goto(server + "/audit")
    assert "并入本机关" in tab.inner_text("#audit-table")


def _report_page(server, tab, year: int) -> str:
    tab.goto(server + "/agencies?q=龙港市人民政府")
    tab.locator("#agency-table a", has_text="龙港市人民政府").first.click()
    tab.wait_for_selector("#reports-by-year")
    tab.locator("#reports-by-year tbody tr", has_text=str(year)).locator("a").first.click()
    tab.wait_for_selector("#tables")
    return tab.url.split("#")[0]


def test_download_an_original(server, tab, uploaded):
    first, _ = uploaded
    _report_page(server, tab, 2021)
    with tab.expect_download() as info:
        tab.click("#files a.original")
    download = info.value
    assert download.suggested_filename == "龙港市2021年报.txt"
    assert Path(download.path()).read_bytes() == first.read_bytes()


def test_print_preview_shows_tables_and_findings_only(server, tab, uploaded):
    _report_page(server, tab, 2021)
    assert tab.is_visible("header.top nav")
    tab.emulate_media(media="print")
    try:
        for hidden in ("header.top", "footer.foot", "aside.side", "#override-form", "#report-actions", "#agency", "#chapters"):
            assert not tab.is_visible(hidden), hidden
        for shown in ("#summary", "#table-active", "#table-requests", "#table-appeals"):
            assert tab.is_visible(shown), shown
        breaks = tab.eval_on_selector_all(
            "#table-active, #table-requests, #table-appeals", "ts => ts.map(t => getComputedStyle(t).breakBefore)")
        assert breaks == ["page", "page", "page"]
        shot(tab, "31-report-print-preview")
    finally:
        tab.emulate_media(media="screen")
    assert tab.is_visible("header.top nav")


def test_trend_chart_bars_open_the_reports(server, tab, uploaded):
    url = _report_page(server, tab, 2022)
    tab.click("#trend-link")
    tab.wait_for_selector("#trend-chart-1 svg")
    heads = tab.inner_text("#trend-table thead")
    assert "2021" in heads and "2022" in heads
    first_year = tab.get_attribute("#trend-table thead th:nth-child(2) a", "href")
    bars = tab.locator("#trend-chart-1 svg path[fill='#1f4e8c']")
    assert bars.count() == 2
    shot(tab, "32-trend")
    bars.first.click()
    tab.wait_for_url(re.compile(re.escape(first_year) + "$"))
    assert tab.url.split("#")[0] != url
