"""Plain text and markdown: decode, split into lines. The extractor does the rest."""

from __future__ import annotations

from .decode import decode
from .document import Document, text_to_lines


def read_text(data: bytes, path: str = "", fmt: str = "text") -> Document:
    text, encoding = decode(data)
    doc = Document(lines=text_to_lines(text), format=fmt, reader="text")
    if "replacement" in encoding:
        doc.notes.append(f"encoding could not be determined; decoded as {encoding}")
    return doc
