"""The source panel in a browser (issue 15 §5): a one-line crawler page (tests/documents/wild/w004,
金井片区 2022) shows the clicked cell's piece, its printed characters, and what the panel says of a
blank cell; a PDF (tests/fixtures/formats/longgang-2021.pdf, 龙港 2021: 166 in 表三 一、本年新收 …
总计 on page 2) shows the clicked grid cell and its page at three zooms."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import open_report, shot, upload

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent.parent
W004 = TESTS / "documents" / "wild" / "w004_jinjingpq_2022.txt"
PDF = TESTS / "fixtures" / "formats" / "longgang-2021.pdf"


@pytest.fixture(scope="module")
def uploaded(server, tab):
    return upload(tab, server, [str(W004), str(PDF)])


def _open(tab, server, agency_part: str):
    open_report(tab, server, agency_part, "#source")


def test_a_crawler_pages_cell_shows_its_piece_and_a_blank_says_so(server, tab, uploaded):
    assert "成功 2 个" in uploaded
    _open(tab, server, "金井")
    assert tab.locator("#source-segmented").count() == 1
    # 行政许可 0 (表二): the piece 行政许可0, its 0 marked
    tab.click("#c-tables-active-licensing-decisions")
    hit = tab.locator("#source li.hit")
    assert hit.count() == 1 and hit.locator(".tx").inner_text().strip() == "行政许可0"
    assert hit.locator(".ln").inner_text().startswith("10·")
    assert tab.locator("#source .at.hit").inner_text() == "0"
    assert "出处：第 10 行第" in tab.inner_text("#source-where")
    # 四、结转下年度继续办理 0 00000: 商业企业 printed blank, only its row can be shown
    tab.click("#c-tables-requests-carried_forward-commercial")
    hit = tab.locator("#source li.hit")
    assert hit.count() == 1 and hit.locator(".tx").inner_text().strip() == "四、结转下年度继续办理 0 00000"
    assert "原文此格空白" in tab.inner_text("#source-where")
    shot(tab, "12-source-crawler-piece")


def test_a_pdf_cell_shows_its_grid_cell_and_its_page_zooms(server, tab, uploaded):
    _open(tab, server, "龙港")
    cell = tab.locator("#c-tables-requests-new_received-total")
    assert cell.inner_text().strip() == "166"
    cell.click()
    slot = tab.locator("#source .slot.hit")
    assert slot.count() == 1 and slot.inner_text() == "166"
    img = tab.locator("#page-img")

    def loaded_width() -> int:
        for _ in range(100):  # no wait_for_function: the CSP forbids eval
            if img.evaluate("e => e.complete && e.naturalWidth") > 0:
                break
            tab.wait_for_timeout(100)
        return img.evaluate("e => e.naturalWidth")

    base = loaded_width()
    assert img.get_attribute("src").endswith("/source/page/2.png") and base > 0
    plus = tab.locator('#pageview button[data-zoom="1"]')
    plus.click()
    plus.click()
    assert tab.inner_text("#zoom-level") == "200%"
    assert img.get_attribute("src").endswith("/source/page/2.png?zoom=2")
    assert abs(loaded_width() - 2 * base) <= 2
    box = tab.locator(".pagebox")
    assert box.evaluate("e => e.style.width") == "200%"
    tab.locator('#pageview button[data-zoom="0"]').click()
    assert tab.inner_text("#zoom-level") == "100%" and box.evaluate("e => e.style.width") == "100%"
    # a page link shows that page in the panel instead of leaving the report
    tab.locator('#source a.pagelink[data-page="1"]').click()
    assert tab.inner_text("#pageview-n") == "1" and img.get_attribute("src").endswith("/source/page/1.png")
    shot(tab, "13-source-pdf-zoom")
