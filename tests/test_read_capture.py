"""Layout class 7: a saver's header around a real page. Its capture time is not the publication
date; the page's own 发布时间 is. Content: the 2021 金井片区 crawler page (truth: published
2022-01-07, the 发布时间 of its header)."""

from pathlib import Path

from nianbao.parse import parse_bytes

DOC = Path(__file__).parent / "documents" / "wild" / "w003_jinjingpq_2021.txt"


def test_a_capture_time_is_never_the_publication_date():
    text = DOC.read_text(encoding="utf-8")
    body = text.split("==================== 正文 ====================\n", 1)[1]
    saved = "抓取时间: 2024-03-05 10:22\n原始链接: https://example.invalid/x.htm\n==========\n" + body
    r = parse_bytes(saved.encode("utf-8"), "saved.txt")
    assert r.meta.published != "2024-03-05"
    assert "抓取" not in (r.meta.agency or "") and r.meta.year == 2021


def test_the_pages_own_publication_date_wins_over_a_capture_line_in_the_body():
    text = DOC.read_text(encoding="utf-8")
    body = text.split("==================== 正文 ====================\n", 1)[1]
    saved = "保存时间：2024-03-05\n发布时间：2022-01-07\n" + body
    r = parse_bytes(saved.encode("utf-8"), "saved2.txt")
    assert r.meta.published == "2022-01-07"
