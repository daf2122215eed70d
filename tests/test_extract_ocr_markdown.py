"""Layout class 5, OCR/LLM markdown, on a real report's content: the 2024 金井片区 report with its
tables 3 and 4 recast as a recognition tool writes them: table 3 as one pipe table per row with
made-up headers (数据1 … 数据6), table 4 split into three tables. Values from the truth file (read by
a person off the CMS page)."""

import json
from pathlib import Path

from nianbao import template as T
from nianbao.parse import parse_bytes

DOC = Path(__file__).parent / "documents" / "wild" / "w006_jinjingpq_2024.txt"
TRUTH = json.loads((Path(__file__).parent / "documents" / "wild" / "truth" / "w006_jinjingpq_2024.json").read_text("utf-8"))


def ocr_markdown(repeat: str | None = None) -> str:
    req, app = TRUTH["tables"]["requests"], TRUTH["tables"]["appeals"]
    out = ["## 三、收到和处理政府信息公开申请情况", ""]
    for r in T.request_rows("2021"):
        vals = ["" if req[r.key][c] is None else str(req[r.key][c]) for c in T.REQUEST_COLUMN_KEYS]
        head = ["| " + r.number + r.label + " | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 |", "|---|---|---|---|---|---|---|"]
        out += head + ["| " + " | ".join(vals) + " |", ""]
        if r.key == repeat:  # the tool printed the row twice, the second time with other numbers
            other = [str(int(v) + 3) if v else v for v in vals]
            out += head + ["| " + " | ".join(other) + " |", ""]
    out += ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    for b, label in T.APPEAL_BLOCKS:
        out += ["| " + " | ".join(label.split("·")[-1] + f for _, f in T.APPEAL_FIELDS) + " |", "|---|---|---|---|---|",
                "| " + " | ".join(str(app[b][f]) for f, _ in T.APPEAL_FIELDS) + " |", ""]
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("三、收到和处理政府信息公开申请情况"), text.index("五、存在的主要问题")
    return text[:start] + "\n" + "\n".join(out) + "\n" + text[end:]


def test_placeholder_headers_are_not_labels_and_every_cell_is_read():
    r = parse_bytes(ocr_markdown().encode("utf-8"), "w006_ocr.md")
    for row, cols in TRUTH["tables"]["requests"].items():
        for col, want in cols.items():
            assert r.tables.requests[row][col] == want, (row, col)
    for block, fields in TRUTH["tables"]["appeals"].items():
        assert r.tables.appeals[block] == fields
    assert not [n for n in r.notes if n.code == "label_variant" and "数据" in n.message]


def test_a_row_printed_twice_with_other_numbers_is_unread_not_chosen():
    r = parse_bytes(ocr_markdown(repeat="granted").encode("utf-8"), "w006_ocr_repeat.md")
    assert all(v is None for v in r.tables.requests["granted"].values())
    assert {f"tables.requests.granted.{c}" for c in T.REQUEST_COLUMN_KEYS} <= set(r.reading.unread)
    assert any(n.code == "row_repeated" for n in r.notes)
    # the other rows are untouched
    assert r.tables.requests["new_received"] == TRUTH["tables"]["requests"]["new_received"]
