"""Hostile input for the readers: files an attacker or an unlucky user could hand to nianbao.

    python scripts/make_hostile.py DIR [--special]

writes every case of :data:`CASES` into DIR (and, with ``--special``, a FIFO and a symlink to
``/dev/zero``) and prints one line per file: its name and what reading it must give. Each file is
small (the largest is about 12 MB) but built to cost a careless reader minutes or gigabytes: span
bombs, deep nesting, zip bombs by ratio and by count, a DOCX whose XML unpacks huge, PDFs with
thousands of pages or a password, binary junk under report extensions, wrong encodings, NUL bytes …

``expect`` is the set of error codes reading the file may end with; ``None`` means a report or any
clear error (never ``internal_error``). ``tests/hostile/`` reads every file and checks this;
``bench/bench_hostile.py`` measures seconds and peak memory per file.
"""

from __future__ import annotations

import io
import os
import random
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "formats"
SEED = ROOT / "samples" / "seeds" / "000_333e33f0e39a8a89.txt"
MB = 1024 * 1024


@dataclass
class Case:
    name: str
    build: Callable[[], bytes]
    expect: frozenset[str] | None  # error codes allowed; None: a report or any clear error
    why: str


def report_text() -> str:
    return SEED.read_text(encoding="utf-8")


def html_page(body: str, head: str = "<meta charset='utf-8'>") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>2022年政府信息公开工作年度报告</title></head><body>{body}</body></html>"


def report_html() -> str:
    paras = "".join(f"<p>{line}</p>" for line in report_text().splitlines() if line.strip())
    return html_page(f"<div class='article'>{paras}</div>")


# --- HTML ----------------------------------------------------------------------------------------


def span_bomb() -> bytes:
    cell = '<td rowspan="200" colspan="200">1</td>'
    rows = "".join(f"<tr>{cell * 40}</tr>" for _ in range(150))
    return html_page(f"<h2>二、主动公开政府信息情况</h2><table>{rows}</table>").encode()


def rowspan_zero() -> bytes:
    rows = "".join("<tr>" + '<td rowspan="0">1</td>' * 20 + "</tr>" for _ in range(1500))
    return html_page(f"<h2>二、主动公开政府信息情况</h2><table>{rows}</table>").encode()


def colspan_wide() -> bytes:
    row = "<tr>" + '<td colspan="200">7</td>' * 3000 + "</tr><tr><td>行政许可</td><td>3</td></tr>"
    return html_page(f"<h2>二、主动公开政府信息情况</h2><table>{row}</table>").encode()


def span_garbage() -> bytes:
    spans = ["-5", "abc", "1e9", "99999999999999999999", "0x10", "", " 3 ", "２", "2.5", "NaN"]
    cells = "".join(f'<td rowspan="{s}" colspan="{s}">{i}</td>' for i, s in enumerate(spans))
    return (report_html().replace("</div>", f"<table><tr>{cells}</tr><tr>{cells}</tr></table></div>")).encode()


def many_tables() -> bytes:
    table = "<table>" + ("<tr>" + "<td>1</td>" * 10 + "</tr>") * 10 + "</table>"
    return html_page("<h2>二、主动公开政府信息情况</h2>" + table * 2100).encode()


def deep_divs() -> bytes:
    return html_page("<div>" * 5000 + "二、主动公开政府信息情况" + "</div>" * 5000).encode()


def deep_tables() -> bytes:
    return html_page("<table><tr><td>" * 400 + "1" + "</td></tr></table>" * 400).encode()


def deep_inline() -> bytes:
    return html_page("<span><b><i>" * 1200 + "报告" + "</i></b></span>" * 1200).encode()


def huge_page() -> bytes:
    para = "<p>" + "本机关依法公开政府信息。" * 40 + "</p>\n"
    n = (11 * MB) // len(para.encode()) + 1
    return html_page(para * n).encode()


def unclosed_cells() -> bytes:
    return html_page("<table>" + "<tr><td>1<td>2" * 20000).encode()


def entity_soup() -> bytes:
    junk = "&#99999999999;&#x10FFFF;&#0;&#xD800;&nbsp&amp;&lt;&unknown;" * 5000
    return report_html().replace("<div class='article'>", f"<div class='article'><p>{junk}</p>").encode()


def billion_laughs_html() -> bytes:
    ents = '<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(9))
    return (f'<?xml version="1.0"?><!DOCTYPE html [{ents}]>' + html_page("<p>&j;</p>" + report_html())).encode()


def only_script() -> bytes:
    return html_page("<script>" + "var a=1;" * 20000 + "</script>").encode()


def huge_attribute() -> bytes:
    return report_html().replace("<div class='article'>", "<div class='article' data-x='" + "x" * (4 * MB) + "'>").encode()


def many_br() -> bytes:
    return html_page("<div>" + "<br>" * 400_000 + "二、主动公开政府信息情况</div>").encode()


def html_nul() -> bytes:
    return report_html().encode().replace("。".encode(), "。\x00".encode())


def html_lying_charset() -> bytes:
    return report_html().replace("charset='utf-8'", "charset='utf-8'").encode("gb18030")


def html_utf16_nobom() -> bytes:
    return report_html().encode("utf-16-le")


def html_invalid_utf8() -> bytes:
    data = bytearray(report_html().encode())
    rnd = random.Random(7)
    for _ in range(2000):
        data[rnd.randrange(len(data))] = rnd.choice([0x80, 0xC0, 0xFF, 0xED, 0xF5])
    return bytes(data)


# --- text ----------------------------------------------------------------------------------------


def huge_text() -> bytes:
    return (report_text() * ((11 * MB) // len(report_text().encode()) + 1)).encode()


def one_long_line() -> bytes:
    return ("行政许可 " * 400_000).encode()


def digit_run() -> bytes:
    return (report_text() + "\n收到申请数 " + "7" * 200_000 + "\n").encode()


def digit_rows() -> bytes:
    row = "行政许可 " + " ".join("1234567" for _ in range(3000)) + "\n"
    return (report_text() + row * 50).encode()


def pipe_table_wide() -> bytes:
    row = "|" + "|".join(str(i) for i in range(20000)) + "|\n"
    return ("# 2022年政府信息公开工作年度报告\n\n" + row + "|" + "---|" * 20000 + "\n" + row * 20).encode()


def nul_text() -> bytes:
    return b"\x00" * 20000


def nul_mixed() -> bytes:
    return report_text().encode().replace(b"\n", b"\x00\n")


def control_chars() -> bytes:
    rnd = random.Random(3)
    return bytes(rnd.choice([1, 2, 3, 7, 8, 11, 12, 27, 127]) for _ in range(50_000))


def utf32_text() -> bytes:
    return report_text().encode("utf-32")


def gbk_no_hint() -> bytes:
    return report_text().encode("gb18030")


def big5_text() -> bytes:
    return report_text().encode("big5", errors="replace")


def lone_surrogates() -> bytes:
    return report_text().encode("utf-16-le", errors="surrogatepass")[:5000] + b"\x00\xd8" * 1000


def whitespace_only() -> bytes:
    return " \n\t\r\n\u3000\u00a0".encode() * 1000


# --- PDF -----------------------------------------------------------------------------------------


def pdf_bytes(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def text_pdf(pages: int, text: bytes = b"(2022 report) Tj", size: tuple[int, int] = (595, 842)) -> bytes:
    """``pages`` pages sharing one font and one content stream (small however many pages)."""
    content = b"BT /F1 12 Tf 72 720 Td " + text + b" ET"
    kids = b" ".join(b"%d 0 R" % (5 + k) for k in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>" % size)
    return pdf_bytes(objects)


def pdf_pages_5000() -> bytes:
    return text_pdf(5000)


def pdf_cyclic_pages() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
    ]
    return pdf_bytes(objects)


def pdf_stream_bomb() -> bytes:
    """A content stream of 64 MB of spaces, 64 KB deflated."""
    raw = b"BT /F1 12 Tf 72 720 Td (x) Tj ET" + b" " * (64 * MB)
    packed = zlib.compress(raw, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
    ]
    return pdf_bytes(objects)


def pdf_huge_scan() -> bytes:
    """One 200 × 200 inch page showing an image: a scan to OCR, at 150 dpi 900 million pixels."""
    image = zlib.compress(b"\xff" * 64)
    content = b"q 14400 0 0 14400 0 0 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(image) + image + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Resources << /XObject << /Im1 3 0 R >> >> /Contents 4 0 R >>",
    ]
    return pdf_bytes(objects)


def pdf_zero_pages() -> bytes:
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_lying_count() -> bytes:
    data = text_pdf(3)
    return data.replace(b"/Count 3", b"/Count 999999999")


def pdf_encrypted(user: str, owner: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption(user, ownerPassword=owner, canPrint=0, canCopy=0, canModify=0, strength=128)
    c = canvas.Canvas(buf, encrypt=enc)
    for k in range(3):
        c.drawString(72, 720, f"2022 annual report page {k + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf_truncated() -> bytes:
    data = (FIX / "longgang-2021.pdf").read_bytes()
    return data[: len(data) // 2]


def pdf_header_only() -> bytes:
    return b"%PDF-1.7\n"


def pdf_junk_body() -> bytes:
    return b"%PDF-1.4\n" + random.Random(11).randbytes(200_000)


def pdf_no_xref() -> bytes:
    data = text_pdf(2)
    return data[: data.index(b"xref")]


def pdf_bad_xref() -> bytes:
    data = bytearray(text_pdf(2))
    at = data.index(b"xref")
    rnd = random.Random(5)
    for k in range(at + 20, len(data) - 30):
        if chr(data[k]).isdigit():
            data[k] = ord(str(rnd.randrange(10)))
    return bytes(data)


def pdf_flipped_bytes() -> bytes:
    data = bytearray((FIX / "longgang-2021.pdf").read_bytes())
    rnd = random.Random(9)
    for _ in range(300):
        data[rnd.randrange(200, len(data))] = rnd.randrange(256)
    return bytes(data)


def pdf_deep_dict() -> bytes:
    deep = b"<<" * 20000 + b">>" * 20000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /X " + deep + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    return pdf_bytes(objects)


# --- DOCX and zips -------------------------------------------------------------------------------


def zip_bytes(members: list[tuple[str, bytes]], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


DOCX_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              b'<Default Extension="xml" ContentType="application/xml"/>'
              b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_body(body: bytes, extra: list[tuple[str, bytes]] = (), doctype: bytes = b"", level: int = 9) -> bytes:
    document = b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + b"<w:document " + W + b"><w:body>" + body + b"</w:body></w:document>"
    return zip_bytes([("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS), ("word/document.xml", document), *extra], level)


def para(text: str) -> bytes:
    return b"<w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p>"


def docx_xml_bomb() -> bytes:
    return docx_with_body(para("A") * (40 * MB // len(para("A"))))


def docx_huge_body() -> bytes:
    rnd = random.Random(1)
    words = ["".join(rnd.choice("申请公开政府信息行政许可复议诉讼0123456789") for _ in range(8)) for _ in range(4000)]
    paras = [para(" ".join(rnd.choice(words) for _ in range(30))) for _ in range(400)]  # 400 × 700 bytes: past deflate's window
    return docx_with_body(b"".join(rnd.choice(paras) for _ in range(16 * MB // 700)), level=1)


def docx_many_parts() -> bytes:
    return docx_with_body(para("2022年政府信息公开工作年度报告"), [(f"word/media/p{k}.xml", b"") for k in range(21000)], level=1)


def docx_deep_tables() -> bytes:
    open_, close = b"<w:tbl><w:tr><w:tc>", b"<w:p/></w:tc></w:tr></w:tbl>"
    return docx_with_body(open_ * 300 + para("1") + close * 300)


def docx_wide_table() -> bytes:
    row = b"<w:tr>" + b"<w:tc>" + para("1") + b"</w:tc>" * 1 + b"</w:tr>"
    cells = b"".join(b"<w:tc><w:tcPr><w:gridSpan w:val=\"999999\"/></w:tcPr>" + para(str(k)) + b"</w:tc>" for k in range(300))
    return docx_with_body(b"<w:tbl><w:tr>" + cells + b"</w:tr>" + row * 200 + b"</w:tbl>")


def docx_vmerge_rows() -> bytes:
    cell = b'<w:tc><w:tcPr><w:vMerge w:val="restart"/><w:gridSpan w:val="50"/></w:tcPr>' + para("1") + b"</w:tc>"
    cont = b'<w:tc><w:tcPr><w:vMerge/><w:gridSpan w:val="50"/></w:tcPr><w:p/></w:tc>'
    return docx_with_body(b"<w:tbl><w:tr>" + cell * 20 + b"</w:tr>" + (b"<w:tr>" + cont * 20 + b"</w:tr>") * 400 + b"</w:tbl>")


def docx_entities() -> bytes:
    ents = b'<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA">' + b"".join(
        b'<!ENTITY ' + bytes([98 + k]) + b' "' + (b"&" + bytes([97 + k]) + b";") * 10 + b'">' for k in range(9)) + b"]>"
    return docx_with_body(para("&j;").replace(b"&amp;", b"&"), doctype=ents)


def docx_external_entity() -> bytes:
    doctype = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return docx_with_body(b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", doctype=doctype)


def docx_invalid_xml() -> bytes:
    return zip_bytes([("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS), ("word/document.xml", b"<w:document><<<")])


def docx_no_document() -> bytes:
    return zip_bytes([("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS), ("word/styles.xml", b"<x/>")])


def docx_truncated() -> bytes:
    data = (FIX / "longgang-2021.docx").read_bytes()
    return data[: len(data) * 2 // 3]


def lying_sizes(data: bytes, declared: int = 1000) -> bytes:
    """A zip whose headers declare every member ``declared`` bytes unpacked."""
    buf = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = buf.find(sig)
        while at >= 0:
            buf[at + off: at + off + 4] = declared.to_bytes(4, "little")
            at = buf.find(sig, at + 4)
    return bytes(buf)


def docx_lying_header() -> bytes:
    return lying_sizes(docx_xml_bomb())


def zip_ratio_bomb() -> bytes:
    return zip_bytes([("2022/report.txt", b"a" * (60 * MB))])


def zip_many_letters() -> bytes:
    return zip_bytes([(f"r{k}.txt", b"b" * (20 * MB)) for k in range(3)])


def zip_count_bomb() -> bytes:
    return zip_bytes([(f"f{k}.txt", b"") for k in range(21000)], level=1)


def zip_nested() -> bytes:
    return zip_bytes([("inner.zip", zip_ratio_bomb()), ("report.txt", report_text().encode())])


def zip_lying() -> bytes:
    return lying_sizes(zip_bytes([("report.txt", b"c" * (8 * MB))]))


def zip_encrypted_member() -> bytes:
    data = bytearray(zip_bytes([("report.txt", report_text().encode())]))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        data[at + off] |= 0x01  # "encrypted" flag: a password would be needed
    return bytes(data)


def zip_traversal() -> bytes:
    return zip_bytes([("../../../../tmp/evil.txt", report_text().encode()), ("/abs/report.txt", b"x"),
                      ("a/" + "b" * 200 + ".txt", b"y")])


def zip_truncated() -> bytes:
    data = zip_bytes([("report.txt", report_text().encode()), ("report2.txt", report_text().encode()[::-1])])
    return data[: len(data) // 2]


def zip_unknown_method() -> bytes:
    data = bytearray(zip_bytes([("report.txt", report_text().encode())]))
    for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.find(sig)
        data[at + off: at + off + 2] = (99).to_bytes(2, "little")  # AES / unknown compression
    return bytes(data)


# --- images, other binaries ----------------------------------------------------------------------


def png_pixel_bomb() -> bytes:
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    rows = zlib.compressobj(9)
    data = b"".join(rows.compress(b"\x00" + b"\xff" * 100_000) for _ in range(200)) + rows.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def tiff_many_frames() -> bytes:
    from PIL import Image

    frames = [Image.new("L", (8, 8), 255) for _ in range(600)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def junk(seed: int, n: int = 300_000) -> Callable[[], bytes]:
    return lambda: random.Random(seed).randbytes(n)


def ole_junk() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(2).randbytes(50_000)


def ofd_file() -> bytes:
    return zip_bytes([("OFD.xml", b"<ofd:OFD/>"), ("Doc_0/Document.xml", b"<x/>")])


LIMIT = frozenset  # readability: the reader's own limit error is expected
CLEAR = None

CASES: list[Case] = [
    # HTML
    Case("span-bomb.html", span_bomb, LIMIT({"grid_too_large"}), "6,000 cells of rowspan=colspan=200"),
    Case("rowspan-zero.html", rowspan_zero, LIMIT({"grid_too_large"}), "1,500 rows of rowspan=0 cells"),
    Case("colspan-wide.html", colspan_wide, LIMIT({"grid_too_large"}), "one row 600,000 columns wide"),
    Case("span-garbage.html", span_garbage, CLEAR, "spans -5, abc, 1e9, 10^20 …"),
    Case("many-tables.html", many_tables, LIMIT({"grid_too_large"}), "2,100 tables of 100 cells"),
    Case("deep-divs.html", deep_divs, LIMIT({"nesting_too_deep"}), "5,000 nested <div>"),
    Case("deep-tables.html", deep_tables, LIMIT({"nesting_too_deep"}), "400 nested tables"),
    Case("deep-inline.html", deep_inline, LIMIT({"nesting_too_deep"}), "3,600 nested inline elements"),
    Case("huge-page.html", huge_page, LIMIT({"text_too_large"}), "11 MB page"),
    Case("unclosed-cells.html", unclosed_cells, CLEAR, "40,000 unclosed cells"),
    Case("entity-soup.html", entity_soup, CLEAR, "invalid and out-of-range character references"),
    Case("billion-laughs.html", billion_laughs_html, CLEAR, "nested entity definitions (XML bomb)"),
    Case("only-script.html", only_script, CLEAR, "a page that is one script"),
    Case("huge-attribute.html", huge_attribute, CLEAR, "a 4 MB attribute value"),
    Case("many-br.html", many_br, CLEAR, "400,000 <br>"),
    Case("nul-bytes.html", html_nul, CLEAR, "a report page with NUL bytes"),
    Case("lying-charset.html", html_lying_charset, CLEAR, "GB18030 bytes under charset=utf-8"),
    Case("utf16-nobom.html", html_utf16_nobom, CLEAR, "UTF-16 without a byte order mark"),
    Case("invalid-utf8.html", html_invalid_utf8, CLEAR, "2,000 invalid UTF-8 bytes"),
    # text
    Case("empty.txt", lambda: b"", LIMIT({"empty_file"}), "empty"),
    Case("whitespace.txt", whitespace_only, LIMIT({"empty_file", "not_a_report"}), "only whitespace (ideographic spaces too)"),
    Case("huge.txt", huge_text, LIMIT({"text_too_large"}), "11 MB of report text"),
    Case("one-long-line.txt", one_long_line, CLEAR, "a 4.8 MB line"),
    Case("digit-run.txt", digit_run, CLEAR, "a run of 200,000 digits"),
    Case("digit-rows.txt", digit_rows, CLEAR, "50 rows of 3,000 numbers"),
    Case("pipe-wide.md", pipe_table_wide, CLEAR, "a markdown table 20,000 columns wide"),
    Case("nul.txt", nul_text, CLEAR, "20,000 NUL bytes"),
    Case("nul-mixed.txt", nul_mixed, CLEAR, "report text with a NUL on every line"),
    Case("control-chars.txt", control_chars, CLEAR, "control characters only"),
    Case("utf32.txt", utf32_text, CLEAR, "UTF-32"),
    Case("gb18030.txt", gbk_no_hint, CLEAR, "GB18030 without any hint"),
    Case("big5.txt", big5_text, CLEAR, "Big5"),
    Case("lone-surrogates.txt", lone_surrogates, CLEAR, "UTF-16 with lone surrogates"),
    # PDF
    Case("pages-5000.pdf", pdf_pages_5000, LIMIT({"too_many_pages"}), "5,000 pages (small)"),
    Case("lying-count.pdf", pdf_lying_count, CLEAR, "3 pages, /Count 999999999"),
    Case("cyclic-pages.pdf", pdf_cyclic_pages, CLEAR, "a page tree that contains itself"),
    Case("stream-bomb.pdf", pdf_stream_bomb, CLEAR, "a content stream of 64 MB, 64 KB deflated"),
    Case("huge-scan.pdf", pdf_huge_scan, LIMIT({"image_too_large", "ocr_unavailable"}), "a 200-inch scanned page"),
    Case("zero-pages.pdf", pdf_zero_pages, LIMIT({"corrupt_file"}), "no pages"),
    Case("encrypted-user.pdf", lambda: pdf_encrypted("secret", "owner"), LIMIT({"encrypted_file"}), "a user password"),
    Case("encrypted-owner.pdf", lambda: pdf_encrypted("", "owner"), CLEAR, "an owner password only (opens with an empty one)"),
    Case("truncated.pdf", pdf_truncated, CLEAR, "a real report cut in half"),
    Case("header-only.pdf", pdf_header_only, LIMIT({"corrupt_file"}), "%PDF-1.7 and nothing else"),
    Case("junk-body.pdf", pdf_junk_body, LIMIT({"corrupt_file"}), "a PDF header, then random bytes"),
    Case("no-xref.pdf", pdf_no_xref, CLEAR, "no cross-reference table"),
    Case("bad-xref.pdf", pdf_bad_xref, CLEAR, "wrong offsets in the cross-reference table"),
    Case("flipped-bytes.pdf", pdf_flipped_bytes, CLEAR, "a real report with 300 random bytes changed"),
    Case("deep-dict.pdf", pdf_deep_dict, CLEAR, "a dictionary nested 20,000 deep"),
    # DOCX
    Case("xml-bomb.docx", docx_xml_bomb, LIMIT({"compression_ratio", "unpacked_too_large"}), "40 MB of XML in 100 KB"),
    Case("lying-header.docx", docx_lying_header, LIMIT({"compression_ratio", "unpacked_too_large", "corrupt_file"}),
         "the same, its headers declaring 1,000 bytes"),
    Case("huge-body.docx", docx_huge_body, LIMIT({"text_too_large"}), "a 12 MB body that compresses poorly"),
    Case("many-parts.docx", docx_many_parts, LIMIT({"too_many_members"}), "21,000 parts"),
    Case("deep-tables.docx", docx_deep_tables, CLEAR, "300 nested tables"),
    Case("wide-table.docx", docx_wide_table, CLEAR, "gridSpan 999999"),
    Case("vmerge-rows.docx", docx_vmerge_rows, CLEAR, "400 rows of vertically merged cells 50 wide"),
    Case("entities.docx", docx_entities, CLEAR, "entity expansion bomb in document.xml"),
    Case("external-entity.docx", docx_external_entity, CLEAR, "an external entity (file:///etc/passwd)"),
    Case("invalid-xml.docx", docx_invalid_xml, LIMIT({"corrupt_file"}), "document.xml is not XML"),
    Case("no-document.docx", docx_no_document, CLEAR, "no word/document.xml"),
    Case("truncated.docx", docx_truncated, CLEAR, "a real DOCX cut at two thirds"),
    # zips (read as archives by ingest; their members are checked one by one)
    Case("ratio-bomb.zip", zip_ratio_bomb, LIMIT({"compression_ratio"}), "60 MB of one letter"),
    Case("many-letters.zip", zip_many_letters, LIMIT({"compression_ratio"}), "3 × 20 MB of one letter"),
    Case("count-bomb.zip", zip_count_bomb, LIMIT({"too_many_members"}), "21,000 empty members"),
    Case("nested.zip", zip_nested, CLEAR, "a zip bomb inside a zip"),
    Case("lying.zip", zip_lying, LIMIT({"corrupt_file", "compression_ratio"}), "8 MB declared as 1,000 bytes"),
    Case("encrypted-member.zip", zip_encrypted_member, LIMIT({"corrupt_file"}), "a member that needs a password"),
    Case("traversal.zip", zip_traversal, CLEAR, "member names ../../ and absolute"),
    Case("truncated.zip", zip_truncated, CLEAR, "cut in half"),
    Case("unknown-method.zip", zip_unknown_method, LIMIT({"corrupt_file"}), "compression method 99"),
    # images and other binaries
    Case("pixel-bomb.png", png_pixel_bomb, LIMIT({"image_too_large", "ocr_unavailable", "corrupt_file"}), "100,000 × 100,000 pixels"),
    Case("many-frames.tif", tiff_many_frames, LIMIT({"too_many_pages", "ocr_unavailable"}), "600 frames"),
    Case("junk.pdf", junk(21), CLEAR, "random bytes named .pdf"),
    Case("junk.docx", junk(22), CLEAR, "random bytes named .docx"),
    Case("junk.html", junk(23), CLEAR, "random bytes named .html"),
    Case("junk.txt", junk(24), CLEAR, "random bytes named .txt"),
    Case("junk.doc", ole_junk, CLEAR, "an OLE header, then random bytes"),
    Case("report.ofd", ofd_file, CLEAR, "an OFD package"),
    Case("html-named.pdf", lambda: report_html().encode(), CLEAR, "a report page named .pdf"),
]

# made at test time, not kept in a folder one could copy: (name, expected error code)
SPECIAL = [("fifo.html", "not_regular_file"), ("dev-zero.txt", "not_regular_file"), ("loop.pdf", None)]


def make(outdir: Path, special: bool = False) -> list[Case]:
    """Write every case into ``outdir``; the FIFO and symlinks too when ``special``."""
    outdir.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (outdir / case.name).write_bytes(case.build())
    if special:
        make_special(outdir)
    return CASES


def make_special(outdir: Path) -> None:
    fifo = outdir / "fifo.html"
    if not fifo.exists():
        os.mkfifo(fifo)
    zero = outdir / "dev-zero.txt"
    if not zero.is_symlink():
        zero.symlink_to("/dev/zero")
    loop = outdir / "loop.pdf"
    if not loop.is_symlink():
        loop.symlink_to(loop)


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    make(out, special="--special" in argv)
    for case in CASES:
        print(f"{case.name}\t{'report or clear error' if case.expect is None else ' | '.join(sorted(case.expect))}\t{case.why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
