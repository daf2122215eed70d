"""Every format fixture parses to the tables and meta of its source report (hand-checked values in
``fixtures/formats/expected/``); bad files get a clear error line and exit 1 while the others parse."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.errors import NianbaoError
from nianbao.extract import extract
from nianbao.parse import parse_bytes
from nianbao.read import ocr, read_document

FIX = Path(__file__).parent / "fixtures" / "formats"
ROOT = Path(__file__).parent.parent

GOOD = {
    "longgang-2021.utf8.html": ("longgang-2021", "html"),
    "longgang-2021.gb2312-declared.html": ("longgang-2021", "html"),
    "gaoling-2022.gbk-nometa.html": ("gaoling-2022", "html"),
    "gaoling-2022.utf16.html": ("gaoling-2022", "html"),
    "longgang-2021.docx": ("longgang-2021", "docx"),
    "longgang-2021.pdf": ("longgang-2021", "pdf"),
    "gaoling-2022.pdf": ("gaoling-2022", "pdf"),
    "gaoling-2022.doc": ("gaoling-2022", "legacy-doc"),
}
BAD = {
    "corrupt.pdf": "corrupt_file",
    "encrypted.pdf": "encrypted_file",
    "not-a-report.html": "not_a_report",
    "empty.html": "empty_file",
    "binary-wrong-extension.docx": "unsupported_format",
}


def expected(source: str) -> dict:
    return json.loads((FIX / "expected" / f"{source}.json").read_text(encoding="utf-8"))


def assert_matches(report: dict, exp: dict, fmt: str) -> None:
    meta = report["meta"]
    for key, value in exp["meta"].items():
        assert meta[key] == value, key
    if fmt == "html":
        for key, value in exp["html_meta"].items():
            assert meta[key] == value, key
    tables = report["tables"]
    assert tables["active"] == exp["active"]
    want = {row: dict(zip(exp["requests_columns"], values)) for row, values in exp["requests"].items()}
    assert tables["requests"] == want
    want = {block: dict(zip(exp["appeals_fields"], values)) for block, values in exp["appeals"].items()}
    assert tables["appeals"] == want


@pytest.mark.parametrize("name", sorted(GOOD))
def test_fixture_parses_to_its_source_report(name):
    source, reader = GOOD[name]
    if reader == "legacy-doc":
        from nianbao.read.legacy import find_soffice

        if find_soffice() is None:
            pytest.skip("LibreOffice not installed")
    report = parse_bytes((FIX / name).read_bytes(), name).to_json_dict()
    assert report["source"]["reader"] == reader
    assert_matches(report, expected(source), "html" if reader == "html" else reader)


needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra (rapidocr, onnxruntime) is not installed")


@pytest.fixture(scope="module")
def scanned():
    """The scanned fixture read once (OCR takes seconds a page) for the tests below."""
    return read_document((FIX / "gaoling-2022.scanned.pdf").read_bytes(), "gaoling-2022.scanned.pdf")


@needs_ocr
def test_scanned_pdf_read_by_ocr(scanned):
    doc = scanned
    assert doc.reader == "ocr"
    cells = [l.cells for l in doc.lines if l.cells]
    # seed 001, table 2 and table 4
    assert ("行政规范性文件", "1", "7", "13") in cells
    assert next(c for c in cells if c[0] == "规章") == ("规章", "/", "/", "/")  # not "1": see ocr.is_slash
    assert next(c for c in cells if c[0] == "行政许可")[1] == "84598"
    assert next(c for c in cells if c[0] == "行政事业性收费")[1] == "1627.79"
    assert ("7", "11", "7", "4", "29", "16", "18", "1", "10", "45", "5", "2", "0", "4", "11") in cells
    # table 3, over the page break: 66 / / / / / 66 in rows 一 and （一）, and "/" elsewhere
    data = [c[-7:] for c in cells if len(c) == 10 and c[-1] in ("66", "/")]
    assert len(data) == 25
    assert data[0] == ("66", "/", "/", "/", "/", "/", "66")
    assert data[2] == ("66", "/", "/", "/", "/", "/", "66")
    assert data[23] == ("66", "/", "/", "/", "/", "/", "66")
    assert all(row == ("/",) * 7 for k, row in enumerate(data) if k not in (0, 2, 23))


@needs_ocr
def test_scanned_fixture_parses_to_its_source_report(scanned):
    report = extract(scanned, "scan.pdf").to_json_dict()
    assert_matches(report, expected("gaoling-2022"), "pdf")


def test_pdf_table_without_ruling_lines_parses_from_its_text_rows():
    report = parse_bytes((FIX / "gaoling-2022.borderless.pdf").read_bytes(), "x.pdf").to_json_dict()
    exp = expected("gaoling-2022")
    assert_matches(report, exp, "pdf")


def test_pdf_table_without_ruling_lines_wrapped_label_row():
    # the label of （六）1 wraps inside its borderless cell ("…逾期不补" / "正、行政机关…") and its
    # group label （六）其他处理 wraps beside it: the two lines are joined column by column
    report = parse_bytes((FIX / "gaoling-2022.borderless.pdf").read_bytes(), "x.pdf").to_json_dict()
    assert report["tables"]["requests"]["other_no_correction"] == dict.fromkeys(expected("gaoling-2022")["requests_columns"], 0)


def test_tables_as_images_page_has_no_numbers():
    report = parse_bytes((FIX / "longgang-2021.images.html").read_bytes(), "x.html").to_json_dict()
    assert report["meta"]["title"] == "龙港市人民政府2021年政府信息公开工作年度报告"
    assert not report["tables"]["active"]
    assert not report["tables"]["requests"]
    assert not report["tables"]["appeals"]


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_raises_a_typed_error_naming_the_file(name):
    with pytest.raises(NianbaoError) as e:
        parse_bytes((FIX / name).read_bytes(), name)
    assert e.value.code == BAD[name]
    assert name in e.value.message


def test_cli_parse_reports_bad_files_and_still_parses_the_good_ones():
    names = ["longgang-2021.utf8.html", "corrupt.pdf", "gaoling-2022.pdf", "encrypted.pdf", "not-a-report.html",
             "longgang-2021.docx", "empty.html", "binary-wrong-extension.docx", "gaoling-2022.gbk-nometa.html"]
    proc = subprocess.run([sys.executable, "-m", "nianbao", "parse", "--json", *(str(FIX / n) for n in names)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [json.loads(l) for l in proc.stdout.splitlines()]
    assert len(lines) == len(names)
    for name, obj in zip(names, lines):
        if name in BAD:
            assert obj["error"]["code"] == BAD[name]
            assert name in obj["error"]["message"]
        else:
            assert "error" not in obj, obj.get("error")
            source, _ = GOOD[name]
            assert obj["source"]["path"].endswith(name)
            assert_matches(obj, expected(source), "html" if name.endswith(".html") else "other")


def test_provenance_points_at_the_source_line_and_page():
    name = "longgang-2021.utf8.html"
    data = (FIX / name).read_bytes()
    prov = parse_bytes(data, name).to_json_dict()["provenance"]
    source = data.decode("utf-8").splitlines()
    line = prov["tables.requests.denied_three_safety.total"]["line"]
    assert "3.危及“三安全一稳定”" in source[line - 1]
    assert "3747" in source[prov["tables.active.licensing.decisions"]["line"] - 1]
    prov = parse_bytes((FIX / "longgang-2021.pdf").read_bytes(), "x.pdf").to_json_dict()["provenance"]
    # table 3 runs over pages 2-4 of the PDF: （三）5 is the first whole row on page 3, （六）2 on page 4
    assert prov["tables.requests.new_received.total"]["page"] == 2
    assert prov["tables.requests.denied_internal.total"]["page"] == 3
    assert prov["tables.requests.other_no_fee.total"]["page"] == 4
    assert prov["tables.requests.other_no_correction.natural_person"]["raw"] == "4"
