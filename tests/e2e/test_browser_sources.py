"""The source beside the tables for a PDF (the printed page of a cell shown as an image) and an
HTML page (the cell's source line highlighted). Values checked against the fixtures' source:
tests/fixtures/formats/longgang-2021.pdf prints 166 in 表三 一、本年新收 … 总计 on page 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import open_report, shot, upload

pytestmark = pytest.mark.browser

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"


@pytest.fixture(scope="module")
def uploaded(server, tab):
    return upload(tab, server, [str(FORMATS / "longgang-2021.pdf"), str(FORMATS / "gaoling-2022.utf16.html")])


def _open(tab, server, agency_part: str):
    open_report(tab, server, agency_part, "#summary")


def test_pdf_cell_shows_its_printed_page(server, tab, uploaded):
    assert "成功 2 个" in uploaded
    _open(tab, server, "龙港")
    cell = tab.locator("#c-tables-requests-new_received-total")
    assert cell.inner_text().strip() == "166"
    assert cell.get_attribute("data-page") == "2"
    cell.click()
    img = tab.locator("#page-img")
    for _ in range(100):  # the page image is loaded (no wait_for_function: the CSP forbids eval)
        if img.evaluate("e => e.complete && e.naturalWidth") > 0:
            break
        tab.wait_for_timeout(100)
    assert img.evaluate("e => e.naturalWidth") > 0
    assert img.get_attribute("src").endswith("/page/2.png")
    assert tab.locator('#source li.hit[data-page="2"]').count() >= 1
    # the printed "166" is boxed on the page image: right half of the page, about 62% down
    box = tab.locator(".pagebox .wordbox")
    box.wait_for()
    assert box.count() == 1
    left, top = (float(box.evaluate(f"e => parseFloat(e.style.{k})")) for k in ("left", "top"))
    assert 80 < left < 90 and 58 < top < 66  # pdftotext -bbox: "166" at x 523.9/612, y 492/792
    shot(tab, "10-report-pdf")


def test_html_cell_highlights_its_source_line(server, tab, uploaded):
    _open(tab, server, "高陵")
    cell = tab.locator("#c-tables-active-licensing-decisions")
    assert cell.inner_text().strip() == "84598"  # seed 001: 行政许可 84598
    cell.click()
    line = cell.get_attribute("data-line")
    hit = tab.locator(f'#source li.hit[data-line="{line}"]')
    assert hit.count() >= 1 and "84598" in hit.first.inner_text()
    shot(tab, "11-report-html")
