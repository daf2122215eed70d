"""The DOCX reader (python-docx) and legacy .doc/.wps through LibreOffice."""

import io
from pathlib import Path

import pytest

from nianbao.errors import ConverterUnavailable, CorruptFile
from nianbao.read import legacy, read_document
from nianbao.read.docx import read_docx

FIX = Path(__file__).parent / "fixtures" / "formats"


def rows(doc):
    return [line.cells for line in doc.lines if line.cells]


def row_for(doc, label):
    return next(c for c in rows(doc) if label in c)


def test_docx_paragraphs_and_merged_tables_in_body_order():
    doc = read_document((FIX / "longgang-2021.docx").read_bytes(), "longgang-2021.docx")
    assert doc.reader == "docx" and doc.format == "docx"
    texts = [l.text for l in doc.lines if not l.cells]
    assert texts[0] == "龙港市人民政府2021年政府信息公开工作年度报告"
    heads = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    # chapter 三's heading comes right before the first row of table 3
    i = next(k for k, l in enumerate(doc.lines) if l.text == "三、收到和处理政府信息公开申请情况")
    assert doc.lines[i + 1].cells[3] == "申请人情况"
    # merged cells repeated in every slot (seed 004 values)
    assert row_for(doc, "1.本机关不掌握相关政府信息") == (
        "三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息", "17", "1", "0", "0", "0", "0", "18")
    assert row_for(doc, "行政事业性收费") == ("行政事业性收费",) + ("3481.768936",) * 3
    assert doc.hints["title"] == "龙港市人民政府2021年政府信息公开工作年度报告"


def test_docx_line_numbers_run_in_order():
    doc = read_document((FIX / "longgang-2021.docx").read_bytes(), "x.docx")
    assert [l.line for l in doc.lines] == list(range(1, len(doc.lines) + 1))


def test_damaged_docx_is_a_corrupt_file():
    data = (FIX / "longgang-2021.docx").read_bytes()
    with pytest.raises(CorruptFile) as e:
        read_docx(data[: len(data) // 2], "half.docx")
    assert "half.docx" in e.value.message


def test_docx_with_sliver_grid_column_reads_each_number_once():
    """LibreOffice leaves 1-twip grid columns where cell edges almost line up (here: the .doc
    round trip of table 4); the 总计 cell spanning one must not be read twice."""
    pytest.importorskip("docx")
    if legacy.find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    doc = read_document((FIX / "gaoling-2022.doc").read_bytes(), "gaoling-2022.doc")
    appeals = next(c for c in rows(doc) if c[0] == "7")
    # seed 001: 7 11 7 4 29 | 16 18 1 10 45 | 5 2 0 4 11
    assert appeals == ("7", "11", "7", "4", "29", "16", "18", "1", "10", "45", "5", "2", "0", "4", "11")


def test_legacy_doc_through_libreoffice():
    if legacy.find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    doc = read_document((FIX / "gaoling-2022.doc").read_bytes(), "gaoling-2022.doc")
    assert doc.reader == "legacy-doc"
    assert row_for(doc, "行政规范性文件") == ("行政规范性文件", "1", "7", "13")
    assert row_for(doc, "（七）总计")[3:] == ("66", "/", "/", "/", "/", "/", "66")


def test_legacy_doc_without_libreoffice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    with pytest.raises(ConverterUnavailable) as e:
        read_document((FIX / "gaoling-2022.doc").read_bytes(), "old.wps")
    assert "old.wps" in e.value.message and "LibreOffice" in e.value.message
    assert e.value.code == "converter_unavailable"


def test_tables_nested_in_a_layout_table_are_read_as_grids():
    import docx

    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).paragraphs[0].text = "二、主动公开政府信息情况"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for (r, c), v in {(0, 0): "行政许可", (0, 1): "3747", (1, 0): "行政处罚", (1, 1): "342395"}.items():
        inner.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    doc = read_docx(buf.getvalue(), "x.docx")
    assert doc.lines[0].text == "二、主动公开政府信息情况" and doc.lines[0].cells is None
    assert rows(doc) == [("行政许可", "3747"), ("行政处罚", "342395")]


def test_docx_unpacking_to_an_absurd_size_is_refused():
    from nianbao import limits
    from nianbao.errors import UnpackedTooLarge

    limits.configure(limits.Limits(unpacked_mb=0.001))  # 1,048 bytes: the fixture unpacks to more
    try:
        with pytest.raises(UnpackedTooLarge) as e:
            read_docx((FIX / "longgang-2021.docx").read_bytes(), "bomb.docx")
    finally:
        limits.configure(None)
    assert "bomb.docx" in e.value.message and "NIANBAO_MAX_UNPACKED_MB" in e.value.message
