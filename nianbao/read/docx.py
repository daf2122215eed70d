"""DOCX files (python-docx) into a Document: paragraphs and tables in body order.

python-docx returns a merged cell in every grid slot it covers (``gridSpan`` and ``vMerge`` alike),
which is the expanded grid the extractor wants; each table row becomes one grid line.
"""

from __future__ import annotations

import io
import re
import zipfile

from .. import limits
from ..errors import CorruptFile
from .document import Document, Line
from .grid import kept_columns

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _clean(s: str) -> str:
    return _WS.sub(" ", s).strip()


def read_docx(data: bytes, path: str = "") -> Document:
    # a DOCX is a zip: refused before python-docx unpacks it when it is a bomb (too large unpacked,
    # too compressed, too many parts) or its body is larger than any report's
    limits.check_package(data, path or "DOCX", "DOCX 文件")
    try:
        body = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    except (zipfile.BadZipFile, KeyError):
        body = 0
    limits.check_text(body, path or "DOCX", "DOCX 正文（word/document.xml）")
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise CorruptFile(f"{path or 'DOCX'}: DOCX 文件已损坏，无法打开 ({type(e).__name__}: {e})", path) from e
    except Exception as e:  # lxml errors inside a damaged package
        raise CorruptFile(f"{path or 'DOCX'}: DOCX 文件已损坏，无法打开 ({type(e).__name__})", path) from e
    out = _Emitter(path or "DOCX")
    out.block_items(document.element.body, document)
    doc = Document(lines=out.lines, format="docx", reader="docx")
    title = (document.core_properties.title or "").strip()
    if "报告" in title:
        doc.hints["title"] = _clean(title)
    return doc


class _Emitter:
    def __init__(self, path: str = "DOCX") -> None:
        self.path = path
        self.cost = 0  # grid slots of the tables so far (see grid_cost), bounded by the cell limit
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
        self.cost += grid_cost(table._tbl)
        limits.check_cells(self.cost, self.path)
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


def _span(tc) -> int:
    el = tc.find(f"{_W}tcPr/{_W}gridSpan")
    try:
        return max(1, int(el.get(f"{_W}val"))) if el is not None else 1
    except (TypeError, ValueError):
        return 1


def grid_cost(tbl) -> int:
    """What python-docx does to give a table's rows their cells, counted from the XML without doing
    it: one slot per grid column a cell spans (``gridSpan`` is not bounded), plus, for a cell that
    continues a vertical merge, one step up per row of the merge (it looks the cell up row by row)."""
    cost = 0
    chain: dict[int, int] = {}  # grid column → rows of the vertical merge open there
    for tr in tbl.iterchildren(f"{_W}tr"):
        col = 0
        for tc in tr.iterchildren(f"{_W}tc"):
            span = _span(tc)
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                chain[col] = chain.get(col, 0) + 1
                cost += chain[col]
            else:
                chain[col] = 0
            cost += span
            col += span
    return cost


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
