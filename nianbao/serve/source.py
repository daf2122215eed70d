"""The source beside the tables: the original file's lines (as the reader numbered them, kept by
the store at ingest) and, for a PDF, a page rendered to PNG so the reviewer sees the printed page a
cell came from."""

from __future__ import annotations

import io
from dataclasses import dataclass
import threading
from collections import OrderedDict
from typing import Callable, Optional

from ..errors import NianbaoError
from ..pipeline import read_lines


@dataclass
class SourceLine:
    line: int
    page: Optional[int]
    text: str


@dataclass
class SourceView:
    lines: list[SourceLine]
    format: str
    pages: int  # number of pages for paged formats, else 0
    error: Optional[str] = None


_CACHE: "OrderedDict[str, SourceView]" = OrderedDict()
_CACHE_SIZE = 16
_cache_lock = threading.Lock()


def _read(data: bytes, path: str) -> SourceView:
    try:
        doc = read_lines(data, path)
    except NianbaoError as e:
        return SourceView([], "", 0, e.message)
    lines = [SourceLine(ln.line, ln.page, ln.text) for ln in doc.lines]
    pages = max((ln.page or 0 for ln in lines), default=0)
    return SourceView(lines, doc.format, pages)


def source_view(key: str, load: Callable[[], Optional[bytes]], path: str, stored=None) -> SourceView:
    """The lines of a stored original: those the store kept at ingest (``stored``, a
    :class:`nianbao.store.source.StoredLines`), else read again from the original (a report stored
    before lines were kept), cached for the last few originals.

    :param key: names the original for the cache (database and report id).
    :param load: gives the original's bytes (called only when the lines are neither kept nor cached).
    """
    if stored is not None:
        return SourceView([SourceLine(n, page, text) for n, page, text in stored.lines], stored.format or "", stored.pages)
    with _cache_lock:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    data = load()
    if data is None:
        return SourceView([], "", 0, "原始文件未保存")
    view = _read(data, path)
    with _cache_lock:
        _CACHE[key] = view
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return view


def pdf_page_png(data: bytes, page: int, scale: float = 1.5) -> bytes:
    """One page of a PDF as PNG (1-based page number). Raises NianbaoError on a bad page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # pdfium raises its own error types for broken files
        raise NianbaoError(f"无法打开 PDF：{e}") from e
    try:
        if not 1 <= page <= len(pdf):
            raise NianbaoError(f"PDF 没有第 {page} 页（共 {len(pdf)} 页）")
        image = pdf[page - 1].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()


MAX_BOXES = 3  # a value printed more often than this on a page is not pointed at (too ambiguous)


def pdf_word_boxes(data: bytes, page: int, raw: str) -> list[dict]:
    """Where ``raw`` is printed on a PDF page, as fractions of the page (x, y, w, h); empty when
    it is not found or found more than :data:`MAX_BOXES` times."""
    import pdfplumber

    raw = raw.strip()
    if not raw:
        return []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not 1 <= page <= len(pdf.pages):
                return []
            p = pdf.pages[page - 1]
            found = [w for w in p.extract_words() if w["text"].strip() == raw]
            if not found or len(found) > MAX_BOXES:
                return []
            return [
                {"x": w["x0"] / p.width, "y": w["top"] / p.height, "w": (w["x1"] - w["x0"]) / p.width, "h": (w["bottom"] - w["top"]) / p.height}
                for w in found
            ]
    except Exception:  # a page we cannot analyse just gets no box; the page image still shows
        return []
