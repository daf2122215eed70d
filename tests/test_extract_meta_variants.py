"""Metadata of the real crawler pages (tests/documents) as other publishing chains print them: the
title wrapped inside its words (a PDF's centred title), full-width digits, no title at all (the
agency only in the signature), a title line carrying the page's date. Each variant keeps what a
person reads from the page, so the truth files still hold (agency, year, publication date)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nianbao.parse import parse_bytes

DOCS = Path(__file__).parent / "documents"
SEPARATOR = "==================== 正文 ===================="
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _pages() -> list[Path]:
    return sorted(p for folder in ("corpus", "wild") for p in (DOCS / folder).glob("*.txt"))


def _truth(page: Path) -> dict:
    return json.loads((page.parent / "truth" / f"{page.stem}.json").read_text(encoding="utf-8"))["meta"]


def _header_and_body(page: Path) -> tuple[str, str]:
    head, body = page.read_text(encoding="utf-8").split(SEPARATOR, 1)
    return head, body


def _title(head: str) -> str:
    return re.search(r"^标题:\s*(.+)$", head, re.M).group(1).strip()


def _read(text: str, name: str):
    return parse_bytes(text.encode("utf-8"), name)


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_fullwidth_digits_keep_year_date_and_agency(page):
    truth = _truth(page)
    report = _read(page.read_text(encoding="utf-8").translate(FULLWIDTH), page.name)
    assert truth["agency_contains"] in report.meta.agency
    assert "２" not in report.meta.agency  # the title's year is not part of the agency
    assert report.meta.year == truth["year"]
    assert report.meta.published == truth["published"]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_title_wrapped_inside_its_words(page):
    """``…管理局2022年政府信`` / ``息公开工作年度报告``: the agency is the title's, never a fragment."""
    truth = _truth(page)
    head, body = _header_and_body(page)
    title = re.sub(r"\s+", "", _title(head))
    cut = title.index("政府信息公开") + 3
    report = _read(f"{title[:cut]}\n{title[cut:]}\n{body}", page.name)
    assert truth["agency_contains"] in report.meta.agency
    assert report.meta.year == truth["year"]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_title_line_with_the_pages_date_after_it(page):
    """A body line ``2022年度政府信息公开工作年度报告 时间：…`` names no agency: the crawler's title does."""
    truth = _truth(page)
    head, body = _header_and_body(page)
    line = f"{truth['year']}年度政府信息公开工作年度报告 时间：{truth['published']}"
    report = _read(f"{head}{SEPARATOR}\n{line}\n{body}", page.name)
    assert truth["agency_contains"] in report.meta.agency
    assert "时间" not in report.meta.agency
    assert report.meta.year == truth["year"]


# w023 signs as 财政全融局 (sic): without its title the page names no other body
NO_TITLE = [p for p in _pages() if not p.stem.startswith("w023")]


@pytest.mark.parametrize("page", NO_TITLE, ids=lambda p: p.stem)
def test_no_title_the_agency_from_the_signature(page):
    """The crawler header and the title gone: the body's signature (``… 平潭综合实验区金井片区管理局
    2023年1月4日``, run onto the last line of a one-line page) names the agency; the year is
    what the preamble and the statistical period say."""
    truth = _truth(page)
    _, body = _header_and_body(page)
    report = _read(body, page.name)
    assert truth["agency_contains"] in report.meta.agency
    assert report.meta.year == truth["year"]


def test_a_signature_without_title_is_read_as_printed():
    page = DOCS / "wild" / "w023_caijin_2022.txt"
    _, body = _header_and_body(page)
    assert _read(body, page.name).meta.agency == "平潭综合实验区财政全融局"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_html_entities_left_in_a_saved_text_read_as_spaces(page):
    """A crawler that kept the page's ``&nbsp;`` (every space of the text printed as the entity):
    the same cells as the page read as saved."""
    from documents.truth import score, truth_of

    text = page.read_text(encoding="utf-8")
    plain = score(_read(text, page.name).to_json_dict(), truth_of(page))
    entities = score(_read(text.replace(" ", "&nbsp;"), page.name).to_json_dict(), truth_of(page))
    assert (entities.exact, entities.wrong, entities.missed) == (plain.exact, plain.wrong, plain.missed)
    assert entities.exact >= 0.9 * entities.total


CAPTURE_HEAD = "网页快照\n抓取时间：2026-11-20 09:13:52\n来源网址：https://www.pingtan.gov.cn/zwgk/zfxxgk/\n" + "-" * 40 + "\n"
CAPTURE_FOOT = "\n" + "-" * 40 + "\n本快照由网页存档工具于2026年11月20日生成，仅供参考。\n"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_a_capture_tools_wrapper_around_the_crawler_page(page):
    """A capture tool's header (its caption, capture time, URL, a rule) and footer around the saved
    page: the crawler header inside still gives the title and the publication date, never the capture's."""
    truth = _truth(page)
    report = _read(CAPTURE_HEAD + page.read_text(encoding="utf-8") + CAPTURE_FOOT, page.name)
    assert truth["agency_contains"] in report.meta.agency
    assert "标题" not in report.meta.agency and "标题" not in report.meta.title
    assert report.meta.year == truth["year"]
    assert report.meta.published == truth["published"]


def _wrapped(text: str, width: int = 36) -> str:
    """Every line cut into lines of ``width`` characters, as a narrow PDF column prints prose."""
    return "\n".join(line[i:i + width] for line in text.splitlines() for i in range(0, max(len(line), 1), width))


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_prose_wrapped_mid_sentence_never_makes_a_title(page):
    """The body wrapped every 36 characters (tables too): a wrapped sentence that holds 年度报告
    (``…关于做好2020年政府信息公开工作年度报告编制公布``) is no title; the agency stays the crawler
    title's, the year the report's."""
    truth = _truth(page)
    head, body = _header_and_body(page)
    report = _read(f"{head}{SEPARATOR}\n{_wrapped(body)}", page.name)
    assert truth["agency_contains"] in report.meta.agency
    assert report.meta.year == truth["year"]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_chapters_headed_without_their_numbers(page):
    """二、 三、 四、 dropped from the chapter headings (Word's automatic numbering lost in a paste):
    tables 2–4 are still found where they are, and table 3's own 一、本年新收… row is never taken
    for the chapter heading; the page reads as published."""
    from documents.truth import score, truth_of

    text = page.read_text(encoding="utf-8")
    edited = text
    for numeral, words in (("二", "主动公开政府信息情况"), ("三", "收到和处理政府信息公开申请情况"),
                           ("四", "政府信息公开行政复议")):
        edited = edited.replace(f"{numeral}、{words}", words)
    assert edited != text
    plain = score(_read(text, page.name).to_json_dict(), truth_of(page))
    got = score(_read(edited, page.name).to_json_dict(), truth_of(page))
    assert got.wrong == []
    assert (got.exact, got.missed) == (plain.exact, plain.missed)


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_table_4_starting_its_own_line(page):
    """A line break before table 4's header (``行政复议 行政诉讼 结果维持 … 000000000000000`` then
    chapter 五 on the same line): its header words and fused cells are a table, not prose."""
    from documents.truth import score, truth_of

    text = page.read_text(encoding="utf-8")
    m = re.search(r"四、[^五]{0,40}?行政诉讼情况\s*(?:\S{0,40}?。\s*)?(?=行政复议\s*行政诉讼)", text)
    if m is None:
        pytest.skip("table 4's header does not follow the chapter heading in this page")
    edited = text[:m.end()] + "\n" + text[m.end():]
    plain = score(_read(text, page.name).to_json_dict(), truth_of(page))
    got = score(_read(edited, page.name).to_json_dict(), truth_of(page))
    assert got.wrong == []
    assert (got.exact, got.missed) == (plain.exact, plain.missed)
