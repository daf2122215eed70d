"""Layout class 3 (label typos), on a real report: the 2024 金井片区 crawler page with two row
labels misprinted the way published tables misprint them (a word changed, a character changed).
The rows keep their place in the template's order and their item numbers, so they are read by
order, with a note, and their values are the truth file's (all 0, read off the CMS page)."""

from pathlib import Path

from documents.truth import truth_value
from nianbao.parse import parse_bytes

DOC = Path(__file__).parent / "documents" / "wild" / "w006_jinjingpq_2024.txt"
TRUTH = Path(__file__).parent / "documents" / "wild" / "truth" / "w006_jinjingpq_2024.json"
TYPOS = {"2.其他法律行政法规禁止公开": "2.其它法律行政法规禁止公示", "4.无正当理由大量反复申请": "4.无正当理由大量反服申情"}


def read_with_typos():
    text = DOC.read_text(encoding="utf-8")
    for right, wrong in TYPOS.items():
        assert right in text
        text = text.replace(right, wrong)
    return parse_bytes(text.encode("utf-8"), "w006_typos.txt")


def test_misprinted_rows_are_read_by_their_place():
    r = read_with_typos()
    for row in ("denied_prohibited", "rejected_excessive"):
        for col, value in r.tables.requests[row].items():
            assert value == truth_value(TRUTH, f"tables.requests.{row}.{col}")
        assert not any(c.startswith(f"tables.requests.{row}.") for c in r.reading.unread)
    by_order = [n for n in r.notes if n.code == "row_by_order"]
    assert len(by_order) == 2 and "反服申情" in by_order[1].message
    # the altered labels remain the report's own deviation, noted for the checker
    assert sum(1 for n in r.notes if n.code == "label_variant") == 2


def test_an_unnamed_row_is_not_forced_into_a_gap_of_another_size():
    # an extra row (a 小计 some software adds) sits where no template row is missing: its numbers
    # (9, a value the report has nowhere else) are given to no row
    text = DOC.read_text(encoding="utf-8")
    anchor = "（三）不予公开"
    assert anchor in text and "9" not in text[text.index("（一）予以公开"):text.index("四、政府信息公开行政复议")]
    text = text.replace(anchor, "小计 9000009" + anchor, 1)
    r = parse_bytes(text.encode("utf-8"), "w006_extra.txt")
    values = [v for row in r.tables.requests.values() for v in row.values()]
    assert 9 not in values
    assert r.tables.requests["granted"]["total"] == truth_value(TRUTH, "tables.requests.granted.total")


def test_labels_offset_by_one_line_are_read_by_order():
    # Layout class 4 (PDF→markdown): each row's numbers landed on the line of the NEXT row's label.
    # Content: the 2024 金井片区 report's table 3 (values from its truth file, read by a person).
    import json

    from nianbao import template as T

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["tables"]["requests"]
    rows = T.request_rows("2021")
    lines = ["三、收到和处理政府信息公开申请情况", "", "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    shown = {r.key: [truth[r.key][c] if truth[r.key][c] is not None else "" for c in T.REQUEST_COLUMN_KEYS] for r in rows}
    previous = None
    for r in rows:
        cells = shown[previous] if previous else [""] * 7
        lines.append("| " + r.number + r.label + " | " + " | ".join(str(v) for v in cells) + " |")
        previous = r.key
    lines.append("| | " + " | ".join(str(v) for v in shown[previous]) + " |")
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("三、收到和处理政府信息公开申请情况"), text.index("四、政府信息公开行政复议")
    doc = text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:]
    r = parse_bytes(doc.encode("utf-8"), "w006_offset.md")
    assert any(n.code == "readers_disagree" for n in r.notes)
    for row in rows:
        for col in T.REQUEST_COLUMN_KEYS:
            want = truth[row.key][col]
            got = r.tables.requests[row.key][col]
            assert got == want or (want is None and got is None), (row.key, col, got, want)
