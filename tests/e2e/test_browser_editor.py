"""The clerk's path in a real browser (issue 16 item 4): last year's report in the corpus plus this
year's request register → a downloaded DOCX with no error finding, in one sitting. The DOCX is
parsed again and its tables compared with the draft's and with a hand count of the register."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import shot
from nianbao import template as T
from nianbao.parse import parse_bytes
from nianbao.render.official import render

pytestmark = pytest.mark.browser

AGENCY = "西安市高陵区人民政府"

# 2023: C1–C4 received late in 2022 and answered in January (上年结转: 3 people, 1 company);
# N1–N7 received in 2023 (N7 still open at the year's end); row 13 has an impossible date.
REGISTER = """编号,收到日期,申请人类型,补正通知日期,补正收到日期,延期,征求意见工作日,答复日期,办理结果
C1,2022-12-20,自然人,,,,,2023-01-05,予以公开
C2,2022-12-21,自然人,,,,,2023-01-06,予以公开
C3,2022-12-22,自然人,,,,,2023-01-09,予以公开
C4,2022-12-28,商业企业,,,,,2023-01-10,部分公开
N1,2023-02-01,自然人,,,,,2023-02-10,予以公开
N2,2023-03-01,自然人,,,,,2023-03-10,予以公开
N3,2023-05-04,自然人,,,,,2023-05-12,予以公开
N4,2023-06-01,自然人,,,,,2023-06-09,予以公开
N5,2023-07-03,自然人,,,,,2023-07-14,本机关不掌握相关政府信息
N6,2023-09-01,商业企业,,,,,2023-09-08,重复申请
N7,2023-12-25,自然人,,,,,,
X1,2023-02-30,自然人,,,,,2023-03-10,予以公开
"""

# table 3 counted by hand from the register above (columns not named are 0)
EXPECTED = {
    "new_received": {"natural_person": 6, "commercial": 1, "total": 7},
    "carried_over": {"natural_person": 3, "commercial": 1, "total": 4},
    "granted": {"natural_person": 7, "total": 7},
    "partially_granted": {"commercial": 1, "total": 1},
    "unable_not_held": {"natural_person": 1, "total": 1},
    "rejected_duplicate": {"commercial": 1, "total": 1},
    "processed_total": {"natural_person": 8, "commercial": 2, "total": 10},
    "carried_forward": {"natural_person": 1, "total": 1},
}


def last_year_docx(tmp) -> str:
    """Last year's report as the agency published it: the official format, as a DOCX."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_web_data import seed001_report

    r = seed001_report(AGENCY, 2022)
    r.tables.requests["carried_forward"] = {**{c: 0 for c in T.REQUEST_COLUMN_KEYS},
                                            "natural_person": 3, "commercial": 1, "total": 4}
    data, _ = render(r, "docx")
    path = tmp / "高陵区2022年报.docx"
    path.write_bytes(data)
    return str(path)


def form_tables(page) -> dict:
    """The draft's cells as the editor shows them."""
    out: dict = {}
    for name, value in page.eval_on_selector_all("input.cell", "els => els.map(e => [e.name, e.value])"):
        _, table, row, col = name.split(".")
        out.setdefault(table, {}).setdefault(row, {})[col] = float(value) if "." in value else int(value)
    return out


def changed(page, selector: str, value: str) -> None:
    """Type a value as the clerk does and leave the field (the change event), then wait for the check."""
    with page.expect_response(lambda r: r.url.endswith("/check") and r.request.method == "POST"):
        page.fill(selector, value)
        page.press(selector, "Tab")


def test_from_last_years_report_and_this_years_register_to_a_clean_docx(server, tab, tmp_path):
    page = tab
    # last year's report goes into the corpus as any report does
    page.goto(server + "/upload")
    page.set_input_files("#files", [last_year_docx(tmp_path)])
    page.click("#upload-button")
    page.wait_for_selector("#upload-summary", timeout=120_000)

    page.goto(server + "/write")
    expect(page.locator("header.top nav a.on")).to_have_text("编写")
    option = page.locator("#start-source option", has_text="2022年度")
    page.select_option("#start-source", value=option.get_attribute("value"))
    page.click("#start-button")
    page.wait_for_selector("#draft-form")
    assert page.input_value("#in-tables-requests-carried_over-natural_person") == "3"
    assert page.input_value("#in-tables-requests-carried_over-commercial") == "1"
    assert page.input_value("#in-tables-active-normative_documents-in_force") == "13"
    expect(page.locator("#gate")).to_contain_text("错误未改正或说明")  # 上年结转 4 with nothing else
    shot(page, "editor-00-started")

    # this year's register → table 3; the bad row is listed with its row number
    register = tmp_path / "2023台账.csv"
    register.write_text(REGISTER, encoding="utf-8")
    page.set_input_files("#file-requests", str(register))
    page.click("#import-requests-button")
    page.wait_for_selector("#import-errors")
    expect(page.locator("#import-errors tbody tr")).to_have_count(1)
    expect(page.locator("#import-errors tbody tr td").first).to_have_text("13")
    assert page.input_value("#in-tables-requests-new_received-total") == "7"
    shot(page, "editor-01-register")

    # a wrong total is an error beside its cell at once, and goes when put right
    note = page.locator("#n-tables-requests-new_received-total")
    changed(page, "#in-tables-requests-new_received-total", "70")
    expect(note.locator(".fn.f-error")).to_have_count(2)  # the row's 总计 and the column's balance
    expect(page.locator('#draft-findings li[data-rule="requests.row_total"]')).to_have_count(1)
    expect(page.locator('#draft-findings li[data-rule="requests.balance"]')).to_have_count(1)
    expect(page.locator("#gate")).to_have_class("gate blocked")
    shot(page, "editor-02-error")
    changed(page, "#in-tables-requests-new_received-total", "7")
    expect(note.locator(".fn.f-error")).to_have_count(0)
    expect(page.locator('#draft-findings li[data-rule="requests.row_total"]')).to_have_count(0)
    # a word in a cell is refused on the form, nothing else changes
    changed(page, "#in-tables-appeals-reconsideration-upheld", "两件")
    expect(page.locator("#n-tables-appeals-reconsideration-upheld")).to_contain_text("“两件”不是数字")
    changed(page, "#in-tables-appeals-reconsideration-upheld", "0")

    changed(page, "#meta-published", "2024-01-20")
    page.click("#add-sentences")
    page.wait_for_selector("#draft-form")
    assert "本年度共收到政府信息公开申请7件，上年结转政府信息公开申请4件。" in page.input_value("#text-requests")
    expect(page.locator("#n-error")).to_have_text("0")
    expect(page.locator("#gate-ok")).to_be_visible()
    shot(page, "editor-03-clean")

    # a reload shows the draft as saved
    page.reload()
    assert page.input_value("#meta-published") == "2024-01-20"
    shown = form_tables(page)

    with page.expect_download() as info:
        page.click("#download-docx")
    data = open(info.value.path(), "rb").read()
    got = parse_bytes(data, "2023.docx")
    assert got.meta.year == 2023 and got.meta.agency == AGENCY and got.meta.published == "2024-01-20"
    assert got.tables.requests == shown["requests"]
    assert got.tables.active == shown["active"] and got.tables.appeals == shown["appeals"]
    for row, cols in got.tables.requests.items():
        assert cols == {c: EXPECTED.get(row, {}).get(c, 0) for c in T.REQUEST_COLUMN_KEYS}, row
    assert "本年度共收到政府信息公开申请7件" in (got.sections.requests or "")
