"""The reviewer's path in a real browser: upload the seeds and a generated multi-year corpus, read
the overview, open a report and see the finding on the right cell and its source line, search,
view coverage, compare two years, correct a misread cell. Every page is saved as a screenshot in
tests/_artifacts/."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_helpers import shot
from nianbao import synth
from nianbao.render import layouts

pytestmark = pytest.mark.browser

SEEDS = sorted((Path(__file__).resolve().parent.parent.parent / "samples" / "seeds").glob("*.txt"))
CORPUS = synth.corpus(4, [2020, 2021, 2022], seed=7, inject=["identity", "cross_year"])
IDENTITY = next(i for i in CORPUS.injections if i.kind == "identity")
CROSS = next(i for i in CORPUS.injections if i.kind == "cross_year")


def corpus_zip(tmp_path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, r in enumerate(CORPUS):
            z.writestr(f"generated/{n:02d}_{r.meta.year}.txt", layouts.to_pipe(r))
    path = tmp_path / "generated.zip"
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="module")
def uploaded(server, tab, tmp_path_factory):
    """Upload the five seeds, a zip of the generated corpus and a broken file, as a person would."""
    tmp = tmp_path_factory.mktemp("upload")
    broken = tmp / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n this is not really a pdf")
    tab.goto(server + "/upload")
    tab.set_input_files("#files", [str(p) for p in SEEDS] + [str(corpus_zip(tmp)), str(broken)])
    assert tab.inner_text("#file-count") == f"已选择 {len(SEEDS) + 2} 个文件"
    shot(tab, "00-upload-chosen")
    tab.click("#upload-button")
    tab.wait_for_selector("#upload-summary", timeout=180_000)
    shot(tab, "01-upload")
    return tab.inner_text("#upload-summary")


def test_upload_lists_every_file_and_the_failure(uploaded):
    total = len(SEEDS) + len(CORPUS) + 1
    assert f"共 {total} 个文件，成功 {total - 1} 个" in uploaded
    assert "broken.pdf" in uploaded
    # the report with the injected identity error shows its errors in the upload results
    row = next(l for l in uploaded.splitlines() if IDENTITY.agency in l and f"\t{IDENTITY.year}\t" in l)
    assert int(row.split("\t")[4]) >= 1


def test_overview_draws_the_charts(server, tab, uploaded):
    tab.goto(server + "/")
    tab.wait_for_selector("#chart-requests svg")
    assert tab.locator("div.chart svg").count() == 4
    kpi = tab.inner_text(".kpis")
    assert re.search(rf"已入库报告\s*{len(SEEDS) + len(CORPUS)}\b", kpi)
    shot(tab, "02-overview")


def _open_report(tab, server, agency: str, year: int):
    tab.goto(server + "/reports")
    tab.fill("input[name=q]", agency)
    tab.press("input[name=q]", "Enter")
    tab.wait_for_load_state()
    rows = tab.locator("#report-table tbody tr").filter(has=tab.locator("td.n", has_text=re.compile(f"^{year}$")))
    rows.filter(has_text=agency).locator("a").first.click()
    tab.wait_for_selector("#summary")


def test_search_is_a_partial_match(server, tab, uploaded):
    part = IDENTITY.agency[2:6]
    tab.goto(server + "/reports")
    everything = tab.inner_text("#results .count")
    tab.fill("input[name=q]", part)  # the list follows the typing (htmx), no submit needed
    tab.wait_for_url(re.compile(r"/reports\?q="))
    expect(tab.locator("#results .count")).not_to_have_text(everything)
    rows = tab.locator("#report-table tbody tr")
    texts = rows.all_inner_texts()
    assert texts and all(part in t for t in texts)
    assert any(IDENTITY.agency in t for t in texts)
    shot(tab, "03-list-search")


def test_report_shows_the_finding_on_the_injected_cell(server, tab, uploaded):
    _open_report(tab, server, IDENTITY.agency, IDENTITY.year)
    shot(tab, "04-report-detail")
    cell_id = "#c-" + IDENTITY.cells[0].replace(".", "-")
    cell = tab.locator(cell_id)
    assert "f-error" in cell.get_attribute("class")
    summary = tab.inner_text("#summary")
    assert "表三" in summary and "错误" in summary
    # clicking the cell highlights its source line beside the tables
    cell.click()
    line = cell.get_attribute("data-line")
    assert line
    hit = tab.locator(f'#source li.hit[data-line="{line}"]')
    assert hit.count() >= 1 and hit.first.is_visible()
    shot(tab, "04-report-detail-origin")


def test_seed_report_page(server, tab, uploaded):
    _open_report(tab, server, "龙港市人民政府", 2021)
    # 表三's new requests total of seed 004, read by hand from the seed text
    shot(tab, "04-report-seed")
    assert tab.inner_text("#c-tables-requests-new_received-total").strip() == "166"
    assert tab.inner_text("#c-tables-requests-new_received-natural_person").strip() == "136"
    assert tab.inner_text("#c-tables-requests-processed_total-total").strip() == "165"
    assert tab.inner_text("#c-tables-requests-carried_forward-total").strip() == "1"


def test_coverage_for_a_year(server, tab, uploaded):
    tab.goto(server + "/coverage?year=2022&sort=name")
    rows = tab.locator("#coverage-table tbody tr").all_inner_texts()
    for r in CORPUS:
        if r.meta.year == 2022:
            [row] = [t for t in rows if t.startswith(r.meta.agency)]
            assert "未发布" not in row and "未到期" not in row, row
    shot(tab, "05-coverage")


def test_compare_two_years_with_the_cross_year_finding(server, tab, uploaded):
    tab.goto(server + "/compare")
    shot(tab, "06-compare-pick")
    tab.locator("#compare-agencies tr", has_text=CROSS.agency).locator("a").click()
    tab.wait_for_selector("#cross-year")
    heading = tab.inner_text("h1")
    assert CROSS.agency in heading and "2021 年与 2022 年" in heading  # the latest two years
    assert tab.locator("td.v.changed").count() > 0
    # from the report with the cross-year injection, compare it with the year before
    _open_report(tab, server, CROSS.agency, CROSS.year)
    tab.click(f'dl.meta a.small[data-year="{CROSS.year - 1}"]')
    tab.wait_for_selector("#cross-year")
    assert f"{CROSS.year - 1} 年与 {CROSS.year} 年" in tab.inner_text("h1")
    assert "上年结转" in tab.inner_text("#cross-year")
    shot(tab, "07-compare")


def test_correct_a_misread_cell(server, tab, uploaded):
    _open_report(tab, server, IDENTITY.agency, IDENTITY.year)
    cell = tab.locator("#c-" + IDENTITY.cells[0].replace(".", "-"))
    before = cell.inner_text().strip()
    cell.click()
    assert tab.input_value("#override-path") == IDENTITY.cells[0]
    tab.fill("#override-value", "0")
    tab.fill("input[name=reason]", "核对原文后更正")
    tab.click("#override-form button")
    tab.wait_for_selector("#overrides")
    events = tab.inner_text("#overrides")
    assert "核对原文后更正" in events and "本机用户" in events and before in events
    assert "overridden" in tab.locator("#c-" + IDENTITY.cells[0].replace(".", "-")).get_attribute("class")
    shot(tab, "08-override")


def test_unreadable_files_are_kept_out_of_the_list(server, tab, uploaded):
    tab.goto(server + "/reports")
    assert "broken.pdf" not in tab.inner_text("#report-table")
    tab.goto(server + "/reports?status=unreadable")
    assert "broken.pdf" in tab.inner_text("#report-table")
    shot(tab, "09-unreadable")
    tab.locator("#report-table tbody tr", has_text="broken.pdf").locator("a").click()
    assert "无法读取：broken.pdf" in tab.inner_text("h1") and "PDF" in tab.inner_text(".alert")
    shot(tab, "09-unreadable-file")


def test_an_expired_form_says_so(server, tab, uploaded):
    tab.goto(server + "/upload")
    tab.evaluate("() => document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRF-Token': 'expired'}))")
    tab.set_input_files("#files", [str(SEEDS[0])])
    tab.click("#upload-button")
    alert = tab.locator("#upload-results .alert")
    alert.wait_for()
    assert "CSRF" in alert.inner_text() and "刷新页面" in alert.inner_text()
