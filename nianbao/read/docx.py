"""DOCX files (python-docx) into a Document: paragraphs and tables in body order.

python-docx returns a merged cell in every grid slot it covers (``gridSpan`` and ``vMerge`` alike),
which is the expanded grid the extractor wants; each table row becomes one grid line.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import CorruptFile, FileTooLarge
from .document import Document, Line
from .grid import kept_columns

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _clean(s: str) -> str:
    return _WS.sub(" ", s).strip()


MAX_UNPACKED = 300 * 1024 * 1024  # a DOCX that unpacks to more than this is a zip bomb, not a report


def read_docx(data: bytes, path: str = "") -> Document:
    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as e:
        raise CorruptFile(f"{path or 'DOCX'}: DOCX 文件已损坏，无法打开 ({e})", path) from e
    if unpacked > MAX_UNPACKED:
        raise FileTooLarge(f"{path or 'DOCX'}: DOCX 解压后超过 {MAX_UNPACKED // 2**20} MB，不予读取 (unpacks too large)", path)
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise CorruptFile(f"{path or 'DOCX'}: DOCX 文件已损坏，无法打开 ({type(e).__name__}: {e})", path) from e
    except Exception as e:  # lxml errors inside a damaged package
        raise CorruptFile(f"{path or 'DOCX'}: DOCX 文件已损坏，无法打开 ({type(e).__name__})", path) from e
    out = _Emitter()
    out.block_items(document.element.body, document)
    doc = Document(lines=out.lines, format="docx", reader="docx")
    title = (document.core_properties.title or "").strip()
    if "报告" in title:
        doc.hints["title"] = _clean(title)
    return doc


class _Emitter:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.n = 0

    def text(self, s: str) -> None:
        for piece in s.split("\n"):
            piece = _clean(piece)
            if piece:
                self.n += 1
                self.lines.append(Line(piece, self.n))

    def row(self, cells: list[str], owners: list[int | None] | None = None) -> None:
        self.n += 1
        self.lines.append(Line("\t".join(cells), self.n, cells=tuple(cells),
                               origins=tuple(owners) if owners is not None else None))

    def block_items(self, parent, document) -> None:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                self.text(Paragraph(child, document).text)
            elif tag == f"{_W}tbl":
                self.table(Table(child, document))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self.block_items(content, document)

    def table(self, table) -> None:
        if any(True for _ in table._tbl.iterdescendants(f"{_W}tbl")):
            # tables inside cells: this one lays the page out; its cells are walked as blocks
            seen = set()
            for r in table.rows:
                for cell in r.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        self.block_items(cell._tc, cell)
            return
        rows: list[list[str]] = []
        ids: list[list[object]] = []
        for r in table.rows:
            cells = r.cells
            row_ids = [c._tc for c in cells]  # elements, not id(): lxml proxies must stay alive
            if ids and row_ids == ids[-1]:
                continue  # every cell continues from the row above: a layout row, not data
            rows.append([cell_text(c) for c in cells])
            ids.append(row_ids)
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        ids = [i + [None] * (width - len(i)) for i in ids]
        slivers = sliver_columns(table)
        if slivers and all(len(r) == width for r in rows) and width == len(table._tbl.tblGrid.gridCol_lst):
            rows = [[v for c, v in enumerate(r) if c not in slivers] for r in rows]
            ids = [[v for c, v in enumerate(i) if c not in slivers] for i in ids]
        keep = kept_columns(ids)
        rows = [[r[c] for c in keep] for r in rows]
        # the source cell of each slot, as small numbers: a merged cell is one value (read/grid.py)
        serial: dict[int, int] = {}
        origins = [[serial.setdefault(id(x), len(serial)) if x is not None else None for x in (i[c] for c in keep)]
                   for i in ids]
        width = len(rows[0]) if rows else 0
        for cells, owners in zip(rows, origins):
            if not any(cells):
                continue
            if width <= 1:
                self.text(cells[0])
            else:
                self.row(cells, owners)


SLIVER_TWIPS = 60  # about 1 mm: narrower grid columns are rounding left by an editor


def sliver_columns(table) -> set[int]:
    """Grid columns too narrow to hold text (LibreOffice leaves 1-twip columns where cell edges
    almost line up); a number spanning one would otherwise be read twice."""
    out = set()
    for c, col in enumerate(table._tbl.tblGrid.gridCol_lst):
        if col.w is not None and col.w.twips < SLIVER_TWIPS:
            out.add(c)
    return out


def cell_text(cell) -> str:
    """A cell's paragraphs joined without a separator: wrapped labels (商业\\n企业) become one."""
    return _clean("".join(_clean(p.text) for p in cell.paragraphs))
