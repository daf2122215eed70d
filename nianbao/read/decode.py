"""Bytes to text, without trusting what a page says about its own encoding.

Order of evidence (see ``../shared/design/stack.md`` §2): a byte-order mark; strict UTF-8; the
declared charset with gb2312/gbk widened to gb18030 (pages that declare gb2312 use characters such
as 喆 that only gb18030 has); charset-normalizer; and last ``gb18030`` with replacement, noted.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030"}
_TRUSTED = {"gb18030", "big5", "big5-hkscs", "cp950"}
_META = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def widen(encoding: str) -> str:
    enc = encoding.lower().strip()
    return _WIDEN.get(enc, enc)


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KB (HTML meta or XML declaration)."""
    m = _META.search(data[:4096])
    if not m:
        m = re.search(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9_\-]+)""", data[:200])
    return m.group(1).decode("ascii").lower() if m else None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is zero."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _few(n: int) -> int:
    """How many undecodable bytes a document of ``n`` characters may have and still be read."""
    return max(3, n // 1000)


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``. Never raises on bad bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    u16 = _looks_utf16(data)
    if u16:
        return data.decode(u16, errors="replace"), u16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a page cut mid-character): GB18030 would decode those bytes
    # "successfully" into nonsense, so a near-valid UTF-8 page stays UTF-8.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= _few(len(text)) and any(ord(ch) > 0x2E80 for ch in text[:20000]):
        return text, f"utf-8 ({bad} bad bytes replaced)"
    declared = declared_charset(data)
    # Only a multi-byte Chinese charset is worth trying as declared: a single-byte one
    # (iso-8859-1, windows-1252, a CMS default) decodes any bytes into nonsense without an error.
    if declared and widen(declared) in _TRUSTED:
        enc = widen(declared)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    text = data.decode("gb18030", errors="replace")
    bad = text.count("\ufffd")
    if bad <= _few(len(text)):
        return text, f"gb18030 ({bad} bad bytes replaced)"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            enc = widen(best.encoding)
            return data.decode(enc, errors="replace"), enc
    except Exception:  # pragma: no cover - charset-normalizer is a best effort
        pass
    return data.decode("gb18030", errors="replace"), "gb18030 (replacement)"
