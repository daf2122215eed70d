"""Format detection from content, not from the file name."""

import io
import zipfile
from pathlib import Path

import pytest

from nianbao.read.detect import detect_format

FIX = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize("name,kind", [
    ("longgang-2021.utf8.html", "html"),
    ("longgang-2021.gb2312-declared.html", "html"),
    ("gaoling-2022.gbk-nometa.html", "html"),
    ("gaoling-2022.utf16.html", "html"),
    ("longgang-2021.docx", "docx"),
    ("longgang-2021.pdf", "pdf"),
    ("gaoling-2022.scanned.pdf", "pdf"),
    ("gaoling-2022.doc", "doc"),
    ("binary-wrong-extension.docx", "binary"),
])
def test_fixtures_detected_from_content(name, kind):
    assert detect_format((FIX / name).read_bytes(), name) == kind


def test_name_does_not_decide():
    data = (FIX / "longgang-2021.pdf").read_bytes()
    assert detect_format(data, "report.html") == "pdf"
    assert detect_format(b"garbage\r\n" + data, "x") == "pdf"  # junk before the header


def test_ofd_and_images():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    assert detect_format(buf.getvalue(), "x.ofd") == "ofd"
    assert detect_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "x") == "image"
    assert detect_format(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "x") == "image"
