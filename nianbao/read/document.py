"""What every format reader produces: the document as lines, with where each line came from.

A reader (HTML, PDF, DOCX, OCR, plain text) turns a file into a :class:`Document`; the extractor
(``nianbao.extract``) turns a Document into the canonical report. Readers know formats, the
extractor knows the template: neither knows the other's business.

A table row that a reader took from a real grid (an HTML ``<table>`` with spans expanded, a DOCX
table, a PDF table rebuilt from ruling lines) carries its cells in ``cells``, in grid order, so
that the extractor can trust the column of every number. Its ``text`` is the cells joined by tabs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    text: str  # the line as read (not normalised)
    line: int  # 1-based line number in the source (HTML: the source line of the element)
    page: int | None = None  # 1-based page, for paged formats
    cells: tuple[str, ...] | None = None  # the row's cells when the line is a row of a real grid
    offset: int = 0  # character offset in the source line (a long line cut into pieces by the reader)
    # for a grid row: the source cell of each slot (equal numbers: one merged cell over its span)
    origins: tuple[int | None, ...] | None = None


@dataclass
class Document:
    lines: list[Line]
    format: str  # "html" | "pdf" | "docx" | "text" | "markdown"
    reader: str  # which reader produced the lines: "text", "html", "pdf", "docx", "ocr"
    hints: dict[str, str] = field(default_factory=dict)  # title / published / agency from page metadata
    tables_as_images: bool = False  # the document shows its tables only as pictures
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def text_to_lines(text: str, page: int | None = None, first_line: int = 1) -> list[Line]:
    """Split decoded text into :class:`Line` objects, numbering from ``first_line``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Line(t, i, page) for i, t in enumerate(text.split("\n"), start=first_line)]
