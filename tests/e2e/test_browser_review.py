"""A reviewer's work in a real browser: dismiss a finding with a note, correct two cells at once
(the identity error goes away at once), see a refused value explained on the form, and find the
report by the state of its findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import shot

pytestmark = pytest.mark.browser

LONGGANG = Path(__file__).resolve().parent.parent.parent / "samples" / "seeds" / "004_09848c8a4e14a3e3.txt"
TOTAL = "tables.requests.new_received.total"
FEES = "tables.active.fees.amount"


@pytest.fixture(scope="module")
def report_page(server, tab, tmp_path_factory):
    """The 龙港 2021 report uploaded with its 本年新收 总计 misprinted 167 (the row sums to 166)."""
    lines = LONGGANG.read_text(encoding="utf-8").splitlines()
    i = lines.index("一、本年新收政府信息公开申请数量")
    j = next(k for k in range(i, i + 20) if lines[k].strip() == "166")
    lines[j] = "167"
    path = tmp_path_factory.mktemp("review") / "longgang2021.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tab.goto(server + "/upload")
    tab.set_input_files("#files", [str(path)])
    tab.click("#upload-button")
    tab.wait_for_selector("#upload-summary", timeout=120_000)
    tab.goto(server + "/reports")
    tab.locator("#report-table tbody tr", has_text="龙港市人民政府").locator("a").first.click()
    tab.wait_for_selector("#summary")
    return tab.url.split("#")[0]


def _cell(tab, path: str):
    return tab.locator("#c-" + path.replace(".", "-"))


def test_dismiss_a_finding_with_a_note(server, tab, report_page):
    tab.goto(report_page)
    finding = tab.locator("li.finding", has_text="结转下年度").first
    box = finding.locator(".review")
    assert "待处理" in box.inner_text()
    box.locator("input.review-note").fill("原表如此，已电话核实")
    box.locator("button", has_text="排除").click()
    tab.wait_for_selector("#history")
    finding = tab.locator("li.finding", has_text="结转下年度").first
    assert "已排除" in finding.inner_text() and "原表如此，已电话核实" in finding.inner_text()
    assert "已排除" in tab.inner_text("#history")
    shot(tab, "20-review-dismissed")
    tab.goto(server + "/reports?state=dismissed")
    assert "龙港市人民政府" in tab.inner_text("#report-table")
    # the corpus-wide list of findings (问题) shows it with its state and note, linked to the report
    tab.goto(server + "/findings?state=dismissed")
    listed = tab.inner_text("#finding-table")
    assert "结转下年度" in listed and "已排除" in listed and "原表如此，已电话核实" in listed
    shot(tab, "23-findings-dismissed")
    tab.locator("#finding-table a.finding-link").first.click()
    tab.wait_for_selector("#summary")
    assert "已排除" in tab.inner_text("#summary")


def test_a_refused_value_is_explained_on_the_form(tab, report_page):
    tab.goto(report_page)
    _cell(tab, TOTAL).click()
    assert tab.input_value("#override-path") == TOTAL
    tab.fill("#override-value", "十二")
    tab.fill("input[name=reason]", "核对原文")
    tab.click("#override-form button")
    tab.wait_for_selector("#override-error")
    assert "不是数字" in tab.inner_text("#override-error")
    assert tab.input_value("#override-value") == "十二"  # what was typed stays on the form
    shot(tab, "21-correct-refused")


def test_correct_two_cells_at_once_and_the_error_goes(tab, report_page):
    tab.goto(report_page)
    assert "167" in tab.inner_text("#summary")
    _cell(tab, TOTAL).click()
    _cell(tab, FEES).click()
    assert tab.input_value("#override-path") == TOTAL
    assert tab.input_value("#override-path-2") == FEES
    tab.fill("#override-value", "166")
    tab.fill("#override-value-2", "0")
    tab.fill("input[name=reason]", "原文为166；收费为0")
    tab.click("#override-form button")
    tab.wait_for_selector("#overrides")
    events = tab.inner_text("#overrides")
    assert "原文为166；收费为0" in events and "167" in events
    assert "overridden" in _cell(tab, TOTAL).get_attribute("class")
    assert "overridden" in _cell(tab, FEES).get_attribute("class")
    # the balance error on 本年新收 is gone at once; it is kept under 已消除
    assert "本年新收(167)" not in tab.inner_text("#summary")
    assert "本年新收(167)" in tab.inner_text("#resolved")
    shot(tab, "22-corrected")
