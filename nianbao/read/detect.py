"""Which format a file is, from its content first and its name second."""

from __future__ import annotations

import re
import zipfile
import io

# What ``detect_format`` may answer.
KINDS = ("pdf", "docx", "doc", "html", "text", "markdown", "zip", "ofd", "image", "binary")

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|p|meta)\b", re.I)
_MD = re.compile(r"^\s*(#{1,6}\s|\|.*\|\s*$|\*\*[^*]+\*\*)", re.M)


def detect_format(data: bytes, name: str = "") -> str:
    head = data[:2048]
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header, so do we
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "binary"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.upper() == "OFD.XML" for n in names):
            return "ofd"  # the Chinese fixed-layout format (GB/T 33190); not read yet
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: legacy .doc and Kingsoft .wps
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ) or (head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00"):
        return "image"
    from .decode import decode

    if _is_binary(head):
        return "binary"
    text_head = head.decode("utf-8", errors="ignore") if not head.startswith((b"\xff\xfe", b"\xfe\xff")) else ""
    if _HTML.search(head) or (text_head == "" and _HTML.search(decode(data[:4096])[0].encode())):
        return "html"
    text, _ = decode(data[:20000])
    if _MD.search(text) or name.lower().endswith((".md", ".markdown")):
        return "markdown"
    return "text"


def _is_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        # UTF-16 without BOM has many zeros but in a regular pattern
        from .decode import _looks_utf16

        return _looks_utf16(head) is None
    control = len(head.translate(None, _NOT_CONTROL))  # bytes 0–8 and 14–31, counted in C
    return control > len(head) * 0.05


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))
