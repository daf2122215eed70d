"""Readers: any published file into a :class:`~nianbao.read.document.Document`.

``read_document`` detects the format from the content and hands the bytes to the reader for it.
Each format lives in its own module (``html``, ``pdf``, ``docx``, ``ocr``, ``legacy``, ``text``).
"""

from __future__ import annotations

from .. import limits
from ..errors import EmptyFile, UnsupportedFormat
from .detect import detect_format
from .document import Document, Line

__all__ = ["read_document", "detect_format", "Document", "Line"]


def read_document(data: bytes, path: str = "") -> Document:
    """Read a file's bytes into a Document. Raises a :class:`~nianbao.errors.NianbaoError`."""
    if not data or not data.strip():
        raise EmptyFile(f"{path or '文件'}: 文件为空 (empty file)", path)
    limits.check_file_size(len(data), path or "文件")
    kind = detect_format(data, path)
    if kind in ("text", "markdown"):
        limits.check_text(len(data), path or "文件", "文本")
        from .text import read_text

        return read_text(data, path, kind)
    if kind == "html":
        from .html import read_html

        return read_html(data, path)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, path)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, path)
    if kind == "doc":
        from .legacy import read_legacy

        return read_legacy(data, path)
    if kind == "image":
        from .ocr import read_image

        return read_image(data, path)
    raise UnsupportedFormat(
        f"{path or '文件'}: 不是可读取的年报格式（检测为 {kind}；支持 HTML、PDF、DOCX、DOC/WPS、TXT、Markdown）"
        f" (unsupported format: detected {kind})",
        path,
    )
