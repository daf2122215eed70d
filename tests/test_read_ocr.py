"""The OCR reader on image files, and the '/' versus '1' decision."""

import io
from pathlib import Path

import pytest

from nianbao.errors import OcrUnavailable
from nianbao.read import ocr, read_document

FIX = Path(__file__).parent / "fixtures" / "formats"


def table2_png() -> bytes:
    """The top of page 1 of the scanned fixture (table 2 of seed 001) as a PNG file."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument((FIX / "gaoling-2022.scanned.pdf").read_bytes())
    image = pdf[0].render(scale=150 / 72, grayscale=True).to_pil()
    crop = image.crop((0, 0, image.width, int(image.height * 0.52)))
    buf = io.BytesIO()
    crop.save(buf, "PNG", dpi=(150, 150))
    return buf.getvalue()


def test_image_without_ocr_extra_says_what_to_install(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(OcrUnavailable) as e:
        read_document(table2_png(), "page.png")
    assert "page.png" in e.value.message and 'pip install "nianbao[ocr]"' in e.value.message


def test_slash_leans_and_one_stands():
    import numpy as np

    slash = np.zeros((20, 12), dtype=bool)
    one = np.zeros((20, 12), dtype=bool)
    for y in range(20):
        slash[y, 10 - y // 2] = True  # bottom-left to top-right
        one[y, 6] = True
    one[2, 4:6] = True  # the flag of a "1"
    rule = np.zeros((20, 12), dtype=bool)
    rule[0, :] = True  # a ruling line caught in the box is ignored
    assert ocr.is_slash(slash) and ocr.is_slash(slash | rule)
    assert not ocr.is_slash(one) and not ocr.is_slash(one | rule)


@pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra (rapidocr, onnxruntime) is not installed")
def test_image_file_read_by_ocr():
    doc = read_document(table2_png(), "page.png")
    assert doc.reader == "ocr"
    cells = [l.cells for l in doc.lines if l.cells]
    # seed 001 table 2
    assert ("规章", "/", "/", "/") in cells
    assert ("行政规范性文件", "1", "7", "13") in cells
    assert next(c for c in cells if c[0] == "行政处罚")[1] == "19546"
    assert "二、主动公开政府信息情况" in [l.text for l in doc.lines if not l.cells]


def test_a_number_read_with_low_confidence_is_not_used():
    assert ocr.trusted("3747", 0.95)
    assert not ocr.trusted("3747", 0.6)
    assert not ocr.trusted("/", 0.6)
    assert ocr.trusted("本年新收政府信息公开申请数量", 0.6)  # words are matched loosely downstream


@pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra (rapidocr, onnxruntime) is not installed")
def test_table_pasted_as_a_picture_in_a_text_pdf_is_read_in_place():
    doc = read_document((FIX / "gaoling-2022.picture-table.pdf").read_bytes(), "x.pdf")
    assert doc.reader == "pdf+ocr"
    texts = [l.cells or l.text for l in doc.lines]
    # heading (text layer), the picture's grid (seed 001 table 4), then the next heading (text layer)
    assert texts[0] == "四、政府信息公开行政复议、行政诉讼情况"
    assert texts[-2] == "五、存在的主要问题及改进情况"
    assert ("7", "11", "7", "4", "29", "16", "18", "1", "10", "45", "5", "2", "0", "4", "11") in texts[1:-2]
    header = next(c for c in texts if isinstance(c, tuple) and "未经复议直接起诉" in c)
    assert header[5:] == ("未经复议直接起诉",) * 5 + ("复议后起诉",) * 5
