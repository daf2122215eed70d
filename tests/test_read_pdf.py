"""The PDF reader: grids from ruling lines, page breaks, running headers and footers, bad files;
and the OCR reader on a scanned PDF (when the ``[ocr]`` extra is installed)."""

from pathlib import Path

import pytest

from nianbao.errors import CorruptFile, EncryptedFile, OcrUnavailable
from nianbao.read import ocr, read_document

FIX = Path(__file__).parent / "fixtures" / "formats"


@pytest.fixture(scope="module")
def longgang():
    return read_document((FIX / "longgang-2021.pdf").read_bytes(), "longgang-2021.pdf")


def rows(doc):
    return [line for line in doc.lines if line.cells]


def row_for(doc, label):
    return next(l for l in rows(doc) if label in l.cells)


def test_reader_and_pages(longgang):
    assert longgang.reader == "pdf" and longgang.format == "pdf"
    assert all(l.page for l in longgang.lines)
    assert longgang.lines[0].text == "龙港市人民政府2021年政府信息公开工作年度报告"
    assert longgang.lines[0].page == 1
    assert row_for(longgang, "一、本年新收政府信息公开申请数量").page == 2


def test_table_continued_over_page_breaks_keeps_rows_and_labels(longgang):
    # table 3 runs from page 2 over pages 3 and 4 (repeated header rows, merged label cells cut)
    r = row_for(longgang, "5.属于三类内部事务信息")
    assert r.page == 3
    assert r.cells == ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息", "0", "0", "0", "0", "0", "0", "0")
    r = row_for(longgang, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    assert r.page == 4
    assert r.cells[:2] == ("三、本年度办理结果", "（六）其他处理")
    assert r.cells[3:] == ("0",) * 7
    # the repeated header is read once
    assert sum(1 for l in rows(longgang) if "申请人情况" in l.cells) == 1
    # every one of the 25 data rows of seed 004's table 3, once, in order
    data = [l.cells for l in rows(longgang) if len(l.cells) == 10 and l.cells[-1].isdigit()]
    assert len(data) == 25
    assert data[0][3:] == ("136", "2", "0", "0", "27", "1", "166")
    assert data[-2][3:] == ("135", "2", "0", "0", "27", "1", "165")
    assert data[-1] == ("四、结转下年度继续办理",) * 3 + ("1", "0", "0", "0", "0", "0", "1")


def test_rows_cut_by_a_page_break_are_joined(longgang):
    # Word lets a row break across pages: （三）4's label ends on page 3 ("…合法权" / "益"), and
    # （六）1's label and its group label （六）其他处理 go on over pages 3 and 4
    r = row_for(longgang, "4.保护第三方合法权益")
    assert r.page == 2
    assert r.cells[3:] == ("1", "0", "0", "0", "0", "0", "1")
    r = row_for(longgang, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    assert r.page == 3
    assert r.cells[:2] == ("三、本年度办理结果", "（六）其他处理")
    assert r.cells[3:] == ("4", "0", "0", "0", "0", "0", "4")
    assert not any(l.cells[2] in ("益", "理") for l in rows(longgang) if len(l.cells) == 10)


def test_running_header_and_page_numbers_dropped(longgang):
    texts = [l.text for l in longgang.lines if not l.cells]
    assert "政府信息公开工作年度报告" not in texts  # the running header on every page
    assert not any(t.strip().isdigit() for t in texts)  # page numbers in the footer


def test_wrapped_paragraph_lines_joined_and_headings_kept(longgang):
    texts = [l.text for l in longgang.lines if not l.cells]
    assert "一、总体情况" in texts
    assert any(t.startswith("根据《中华人民共和国政府信息公开条例》") and t.endswith("至2021年12月31日止。") for t in texts)


def test_merged_value_cells_in_table_2(longgang):
    assert row_for(longgang, "行政许可").cells == ("行政许可", "3747", "3747", "3747")  # value spans 3 columns
    assert row_for(longgang, "行政规范性文件").cells == ("行政规范性文件", "41", "0", "82")
    appeals = next(l.cells for l in rows(longgang) if len(l.cells) == 15 and l.cells[1] == "8")
    assert appeals == ("0", "8", "1", "0", "9", "2", "0", "0", "1", "3", "0", "0", "0", "0", "0")


def test_corrupt_pdf():
    with pytest.raises(CorruptFile) as e:
        read_document((FIX / "corrupt.pdf").read_bytes(), "corrupt.pdf")
    assert "corrupt.pdf" in e.value.message


def test_encrypted_pdf():
    with pytest.raises(EncryptedFile) as e:
        read_document((FIX / "encrypted.pdf").read_bytes(), "encrypted.pdf")
    assert "encrypted.pdf" in e.value.message and "加密" in e.value.message


def test_scanned_pdf_without_ocr_extra_says_what_to_install(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(OcrUnavailable) as e:
        read_document((FIX / "gaoling-2022.scanned.pdf").read_bytes(), "scan.pdf")
    assert 'pip install "nianbao[ocr]"' in e.value.message and "scan.pdf" in e.value.message


def test_text_in_a_font_without_unicode_map_is_read_like_a_scan():
    from types import SimpleNamespace

    from nianbao.read.pdf import unmapped_font

    cid = [{"text": f"(cid:{k})"} for k in range(20)]
    good = [{"text": ch} for ch in "二、主动公开政府信息情况行政许可3747"]
    assert unmapped_font(SimpleNamespace(chars=cid + good[:5]))
    assert not unmapped_font(SimpleNamespace(chars=good + cid[:3]))


def test_table_without_ruling_lines_comes_as_text_rows():
    doc = read_document((FIX / "gaoling-2022.borderless.pdf").read_bytes(), "x.pdf")
    assert not any(l.cells for l in doc.lines)  # no ruling lines: no grid is claimed
    texts = [l.text for l in doc.lines]
    # seed 001: the numbers of a row stay on their label's line, separated, never glued to text
    assert "行政规范性文件 1 7 13" in texts
    assert "一、本年新收政府信息公开申请数量 66 / / / / / 66" in texts
    assert "7 11 7 4 29 16 18 1 10 45 5 2 0 4 11" in texts


def test_table_pasted_as_a_picture_without_ocr_extra_is_flagged(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = read_document((FIX / "gaoling-2022.picture-table.pdf").read_bytes(), "x.pdf")
    assert doc.tables_as_images is True
    assert "OCR extra not installed" in " ".join(doc.notes)
    assert [l.text for l in doc.lines][0] == "四、政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_page_shown_turned_reads_as_upright(rotation):
    """A page whose text runs sideways or upside down as displayed (a landscape table printed
    turned): rows and columns must not come out transposed or reversed."""
    import io

    import pypdfium2 as pdfium

    data = (FIX / "gaoling-2022.pdf").read_bytes()
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        page.set_rotation(rotation)
    buf = io.BytesIO()
    pdf.save(buf)
    turned = read_document(buf.getvalue(), "turned.pdf")
    upright = read_document(data, "upright.pdf")
    assert [l.cells or l.text for l in turned.lines] == [l.cells or l.text for l in upright.lines]
    assert ("行政规范性文件", "1", "7", "13") in [l.cells for l in turned.lines]
