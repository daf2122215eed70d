"""HTML pages from government sites into a Document.

The bytes are decoded by :mod:`.decode` (never by the parser, which trusts ``<meta charset=gb2312>``
and loses 喆/镕), the report body is found among navigation and footers (:mod:`.webpage`), and the
body is walked in order: paragraphs become text lines, every row of a data table becomes one grid
line with row and column spans expanded (:mod:`.grid`).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .. import limits
from ..errors import CorruptFile, NotAReport
from .decode import decode
from .document import Document, Line
from .grid import Grid, SpanCell, expand_spans, expanded_size, natural_width
from .webpage import find_body, heading_count, looks_like_report, page_hints

_SKIP = {"script", "style", "noscript", "select", "button", "iframe", "object", "svg", "template", "head"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "li", "ul", "ol",
    "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "form",
    "fieldset", "address", "figure", "figcaption", "hr", "caption", "tr", "td", "th",
}
_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_COUNT = re.compile(r"^[\d０-９][\d０-９,，.．]*$|^[/／—－-]$")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def clean_text(s: str) -> str:
    """Collapse runs of whitespace (incl. no-break and ideographic spaces) to one space."""
    return _WS.sub(" ", s).strip()


def parse_tree(text: str, path: str = "") -> etree._Element:
    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise CorruptFile(f"{path or 'HTML'}: 无法解析 HTML ({e})", path) from e
    if any("Excessive depth" in e.message for e in parser.error_log):
        # libxml2 stops at 256 levels and drops the rest of the page: the limit, said as such
        limits.check_depth(max(limits.current().depth, 256) + 1, path or "HTML")
    return root


def read_html(data: bytes, path: str = "") -> Document:
    limits.check_text(len(data), path or "HTML", "网页")
    text, encoding = decode(data)
    root = parse_tree(text, path)
    limits.check_depth(tree_depth(root), path or "HTML")
    limits.check_cells(page_cells(root), path or "HTML")  # before any work on the tables
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    hints = page_hints(root)
    body, how = find_body(root)
    if body is None:
        raise NotAReport(f"{path or 'HTML'}: 页面没有正文内容，不是政府信息公开工作年度报告 (no body text)", path)
    walker = _Walker(path or "HTML")
    walker.walk(body)
    walker.flush()
    doc = Document(lines=walker.lines, format="html", reader="html", hints=hints)
    page_title = hints.get("title", "") + (root.findtext(".//title") or "")
    if not looks_like_report(doc.text, page_title, walker.grid_rows):
        raise NotAReport(
            f"{path or 'HTML'}: 页面不是政府信息公开工作年度报告（正文中没有年度报告的章节或表格）"
            " (not an annual report page)",
            path,
        )
    attachments = attachment_names(body)
    if attachments and walker.number_rows == 0 and heading_count(doc.text) < 2:
        raise NotAReport(
            f"{path or 'HTML'}: 页面正文没有年报内容，只有附件（{'、'.join(attachments[:3])}）；请下载附件后再读取"
            " (the page only links to the report as an attachment)",
            path,
        )
    doc.tables_as_images = walker.number_rows == 0 and walker.images > 0
    if "replacement" in encoding:
        doc.notes.append(f"encoding could not be determined; decoded as {encoding}")
    doc.notes.append(f"html: decoded as {encoding}; body found by {how}")
    return doc


def page_cells(root: etree._Element) -> int:
    """The grid slots all the page's tables would fill with their spans expanded (an upper bound)."""
    total = 0
    for table in root.iter("table"):
        rows = [[SpanCell("", _span(c.get("rowspan")) if c.get("rowspan") else 1, _span(c.get("colspan")))
                 for c in own_cells(tr)] for tr in own_rows(table)]
        total += expanded_size([r for r in rows if r])
    return total


def tree_depth(root: etree._Element) -> int:
    """How deeply the elements nest (the walker recurses once per level)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


_ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|ofd|xlsx?|zip|rar)(\?|#|$)", re.I)


def attachment_names(body: etree._Element) -> list[str]:
    """Names (or file names) of the documents the body links to."""
    out = []
    for a in body.iter("a"):
        href = a.get("href") or ""
        if _ATTACHMENT.search(href):
            name = clean_text(a.text_content()) or href.rsplit("/", 1)[-1]
            out.append(name)
    return out


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _hidden(el: etree._Element) -> bool:
    """Markup a browser does not show (share blurbs, duplicated abstracts, SEO text)."""
    return el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))


def cell_text(cell: etree._Element) -> str:
    parts = []
    for node in cell.iter():
        if not isinstance(node.tag, str):
            if node.tail:
                parts.append(node.tail)
            continue
        if node is not cell and node.tag in _SKIP:
            continue
        if node.text:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
    return clean_text("".join(parts))


def _span(value: str | None) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return int(m.group(1)) if m else 1


def own_rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def own_cells(tr: etree._Element) -> list[etree._Element]:
    return tr.xpath("./td|./th")


def is_layout_table(table: etree._Element) -> bool:
    """A table used to lay out a page: its own cells hold further tables."""
    return any(c.xpath(".//table") for tr in own_rows(table) for c in own_cells(tr))


class _Walker:
    """Walks the body in document order, emitting text lines and grid rows."""

    def __init__(self, path: str = "HTML") -> None:
        self.path = path
        self.cells = 0  # grid cells of the tables so far, spans expanded (bounded by the limit)
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.last_line = 1
        self.grid_rows = 0
        self.number_rows = 0  # grid rows with a count in them (not a layout or metadata box)
        self.images = 0
        self.prev_grid: Grid | None = None  # the table just emitted, while nothing came after it

    def add_text(self, s: str | None, line: int | None) -> None:
        if not s:
            return
        if self.buf_line is None and s.strip():
            self.buf_line = line or self.last_line
        self.buf.append(s)

    def flush(self) -> None:
        text = clean_text("".join(self.buf))
        if text:
            self.lines.append(Line(text, self.buf_line or self.last_line))
            self.prev_grid = None
        self.buf = []
        self.buf_line = None

    def walk(self, el: etree._Element) -> None:
        if not isinstance(el.tag, str):  # comment or processing instruction
            return
        tag = el.tag.lower()
        if el.sourceline:
            self.last_line = el.sourceline
        if tag in _SKIP or _hidden(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            self.images += 1
            return
        if tag == "table":
            self.flush()
            if is_layout_table(el):
                for tr in own_rows(el):
                    for td in own_cells(tr):
                        self.walk(td)
                        self.flush()
            else:
                self.table(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.add_text(el.text, el.sourceline)
        for child in el:
            self.walk(child)
            self.add_text(child.tail, child.sourceline or self.last_line)
        if block:
            self.flush()

    def table(self, table: etree._Element) -> None:
        trs = own_rows(table)
        rows: list[list[SpanCell]] = []
        lines: list[int] = []
        for tr in trs:
            cells = own_cells(tr)
            if not cells:
                continue
            rows.append([SpanCell(cell_text(c), _span(c.get("rowspan")) if c.get("rowspan") else 1,
                                  _span(c.get("colspan"))) for c in cells])
            lines.append(tr.sourceline or self.last_line)
            self.images += len(tr.xpath(".//img"))
        if not rows:
            return
        carry = None
        prev = self.prev_grid
        if prev is not None and prev.overflow:
            # A table split over two <table>s: the row spans cut at the end of the first part go
            # on here, when the first row here is narrower by exactly those columns.
            if natural_width(rows[0]) + len(prev.overflow) == prev.width:
                carry = prev.overflow
        self.cells += expanded_size(rows, carry)
        limits.check_cells(self.cells, self.path)
        grid = expand_spans(rows, carry)
        if grid.width <= 1:
            # one-column "tables" are layout boxes: their cells are paragraphs
            for row, line in zip(grid.rows, lines):
                if row and row[0]:
                    self.lines.append(Line(row[0], line))
            self.prev_grid = None
            return
        for row, line, owners in zip(grid.rows, lines, grid.owners or [None] * len(grid.rows)):
            if not any(row):
                continue
            self.lines.append(Line("\t".join(row), line, cells=tuple(row),
                                   origins=tuple(owners) if owners else None))
            self.grid_rows += 1
            if any(_COUNT.match(v) for v in row):
                self.number_rows += 1
        self.prev_grid = grid
