"""Layout class 2 in a Word file made with python-docx: table 2 of a real report (平潭综合实验区旅游与
文化体育局 2019, values from its truth file, read by a person off the CMS page) whose data cells
span two grid columns under a header whose spans differ. A merged cell is one value, placed by
order among the row's cells."""

import io
import json
from pathlib import Path

import docx

from nianbao.parse import parse_bytes

TRUTH = json.loads((Path(__file__).parent / "documents" / "corpus" / "truth" / "b001_pingtan_lvyouwentiju_2019.json")
                   .read_text("utf-8"))["tables"]["active"]


def _row(table, cells):
    """cells: (text, span) pairs filling a 5-column grid."""
    row = table.add_row()
    col = 0
    for text, span in cells:
        cell = row.cells[col]
        if span > 1:
            cell = cell.merge(row.cells[col + span - 1])
        cell.text = text
        col += span


def make_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("平潭综合实验区旅游与文化体育局2019年度政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("2019年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=0, cols=5)
    _row(t, [("第二十条第（一）项", 5)])
    # the header spans 本年新公开数量 over columns 3-4; the data rows span their first number instead
    _row(t, [("信息内容", 1), ("本年新制作数量", 1), ("本年新公开数量", 2), ("对外公开总数量", 1)])
    for key, label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
        v = TRUTH[key]
        _row(t, [(label, 1), (str(v["made"]), 2), (str(v["published"]), 1), (str(v["public_total"]), 1)])
    _row(t, [("第二十条第（五）项", 5)])
    _row(t, [("信息内容", 1), ("上一年项目数量", 1), ("本年增/减", 2), ("处理决定数量", 1)])
    for key, label in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")):
        v = TRUTH[key]
        _row(t, [(label, 1), (str(v["previous_items"]), 1), (str(v["change"]), 2), (str(v["decisions"]), 1)])
    _row(t, [("第二十条第（九）项", 5)])
    _row(t, [("信息内容", 1), ("采购项目数量", 2), ("采购总金额", 2)])
    v = TRUTH["procurement"]
    _row(t, [("政府集中采购", 1), (f"{v['projects']}个", 2), (f"{v['amount']}元", 2)])
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.add_paragraph("本年度未收到政府信息公开申请。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_spanned_data_cells_are_one_value_each():
    r = parse_bytes(make_docx(), "b001_spans.docx")
    got = r.tables.active
    for key in ("regulations", "normative_documents", "licensing", "other_services", "procurement"):
        assert got[key] == TRUTH[key], key
