"""The segment stage on real one-line crawler pages: headings in mid-line, tables found by their
own words even when a report leaves out the 第二十条 captions or the header note of table 3."""

import re
from pathlib import Path

from documents.truth import score
from nianbao.extract.segment import segment_document
from nianbao.parse import parse_bytes
from nianbao.read import read_document

WILD = Path(__file__).parent / "documents" / "wild"


def test_a_one_line_page_is_cut_before_every_heading_and_row():
    doc = read_document((WILD / "w001_jinjingpq_2020.txt").read_bytes(), "w001.txt")
    body = [ln for ln in doc.lines if len(ln.text) > 1000]
    assert len(body) == 1  # the crawler put the whole report on one line
    pieces = [p.text for p in segment_document(doc.lines) if p.line == body[0].line]
    # 一总体情况 (no 、 in this page) and the other five headings each open a piece
    for head in ("一总体情况", "二、主动公开政府", "三、收到和处理政", "四、政府信息公开", "五、存在的主要问", "六、其他需要报告"):
        assert any(p.startswith(head) for p in pieces), head
    assert sum(1 for p in pieces if re.match(r"\d\.", p)) == 16  # 8 + 3 + 5 numbered items of table 3
    assert "".join(pieces) == body[0].text  # nothing dropped, nothing changed


def test_tables_without_captions_or_header_note_are_still_found():
    text = (WILD / "w003_jinjingpq_2021.txt").read_text(encoding="utf-8")
    text = re.sub(r"第二十条第（[一二三四五六七八九]）项", "", text)
    text = text.replace("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "").replace("申请人情况", "")
    r = parse_bytes(text.encode("utf-8"), "w003_bare.txt")
    s = score(r.to_json_dict(), WILD / "truth" / "w003_jinjingpq_2021.json")
    assert s.wrong == [] and s.missed == []
    assert r.reading.status == "complete"


def test_a_space_among_solid_runs_is_a_printed_blank():
    # 2022 金井片区: every row of table 3 is a solid run (0000000) but 结转下年度 prints "0 00000":
    # the empty 商业企业 cell's &nbsp; became the space (the truth file, read off the CMS page, has
    # that cell blank). Read as a printed blank: null with provenance "", the report complete.
    r = parse_bytes((WILD / "w004_jinjingpq_2022.txt").read_bytes(), "w004.txt")
    s = score(r.to_json_dict(), WILD / "truth" / "w004_jinjingpq_2022.json")
    assert s.wrong == [] and s.missed == []
    assert r.tables.requests["carried_forward"]["commercial"] is None
    assert r.provenance["tables.requests.carried_forward.commercial"].raw == ""
    assert r.reading.status == "complete"


def test_spaces_that_separate_every_cell_are_no_blanks():
    # 2021 经济发展局: cells separated by spaces throughout; rows of six zeros for seven cells stay
    # unread (which cell is blank cannot be told)
    r = parse_bytes((WILD / "w030_jingfa_2021.txt").read_bytes(), "w030.txt")
    assert all(v is None for v in r.tables.requests["granted"].values())
    assert "tables.requests.granted.total" in r.reading.unread


def test_a_report_whose_tables_cannot_be_found_is_partial_not_rejected():
    # the 2021 金井片区 page with its three tables cut out: chapters and metadata still read, every
    # cell of the three tables unread, the report partial (never "not a report")
    text = (WILD / "w003_jinjingpq_2021.txt").read_text(encoding="utf-8")
    for first, last in (("第二十条第（一）项", "三、收到和处理"), ("（本列数据", "四、政府信息公开行政复议"),
                        ("行政复议行政诉讼", "五、存在的主要问题")):
        start, end = text.index(first), text.index(last)
        text = text[:start] + "（表格见附件）" + text[end:]
    cut = text
    r = parse_bytes(cut.encode("utf-8"), "w003_no_tables.txt")
    assert r.meta.year == 2021 and "金井片区管理局" in r.meta.agency
    assert r.sections.overview and r.sections.problems
    assert r.reading.status == "partial"
    assert len(r.reading.unread) == 10 + 175 + 15  # every cell of the 2021 template's three tables


def test_whether_a_page_is_a_report_does_not_turn_on_a_trailing_line():
    text = (WILD / "w001_jinjingpq_2020.txt").read_text(encoding="utf-8")
    base = parse_bytes(text.encode("utf-8"), "w001.txt")
    for tail in ("", "附件下载", "| 打印 | 关闭 |", "**责任编辑：某某**", "# 相关链接", "0", "2021年1月26日"):
        r = parse_bytes((text + "\n" + tail + "\n").encode("utf-8"), "w001_tail.txt")
        assert r.tables == base.tables and r.reading.status == base.reading.status, tail
