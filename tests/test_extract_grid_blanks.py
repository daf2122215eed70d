"""A table 3 drawn as a grid (a markdown pipe table, as PDF→markdown converters print it) with the
official three label columns, and a real report's printed blank cells: w030 (经济发展局 2021) leaves
the 总计 cell of （一）予以公开 and （二）部分公开 blank. A row labelled in its second label column has
an empty first or third label cell; that empty cell must never stand in for a data cell, so the
blank 总计 stays blank (not 0, and no 0 moved one column)."""

from __future__ import annotations

import json
from pathlib import Path

from nianbao import template as T
from nianbao.parse import parse_bytes

TRUTH = Path(__file__).parent / "documents" / "wild" / "truth" / "w030_jingfa_2021.json"


def _cell(v) -> str:
    return "" if v is None else str(v)


def _markdown(truth: dict) -> str:
    table = truth["tables"]["requests"]
    lines = [
        "平潭综合实验区经济发展局2021年政府信息公开工作年度报告",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | | 申请人情况 | | | | | | |",
        "|---|---|---|---|---|---|---|---|---|---|",
        "| | | | 自然人 | 法人或其他组织 | | | | | 总计 |",
        "| | | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
    ]
    for row in T.request_rows("2021", True):
        cells = [_cell(table[row.key][c]) for c in T.REQUEST_COLUMN_KEYS]
        label = row.number + row.label
        if row.group is None:  # 一、 二、 （六） （七） 四、: the label in the first column (三、 groups the results)
            labels = ["三、本年度办理结果", label, ""] if row.number.startswith("（") else [label, "", ""]
        elif row.number.startswith("（"):
            labels = ["三、本年度办理结果", label, ""]
        else:
            labels = ["", row.group, label]
        lines.append("| " + " | ".join(labels + cells) + " |")
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
    return "\n".join(lines) + "\n"


def test_blank_total_cells_stay_blank_in_a_grid_with_three_label_columns():
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    want = truth["tables"]["requests"]
    assert want["granted"]["total"] is None and want["granted"]["natural_person"] == 0  # the premise
    report = parse_bytes(_markdown(truth).encode("utf-8"), "w030.md")
    got = report.tables.requests
    for row in T.request_rows("2021", True):
        for col in T.REQUEST_COLUMN_KEYS:
            assert got[row.key][col] == want[row.key][col], (row.key, col)
    assert report.provenance[T.rq("granted", "total")].raw.strip() == ""  # seen printed blank, not unread
