"""PDF files into a Document: text lines and table grids in reading order, with their page.

- **Triage** with pypdfium2 (fast): encrypted or corrupt files are refused with a clear error, and
  pages without a text layer (a scan: images and no text, or only private-use glyphs) go to OCR.
- **Text pages** with pdfplumber: the characters with their positions; tables found from ruling
  lines, each rebuilt as a grid with merged cells expanded (:mod:`.layout`); the other characters
  grouped into lines. Items are put in order of their position on the page.
- **Across pages**: a table that ends a page and a table of the same width that starts the next
  are one table; repeated header rows are dropped, and labels of merged cells cut by the break
  are carried over. Running headers and footers (page numbers, text repeated in the margins of
  several pages) are dropped.
"""

from __future__ import annotations

import io
import re

from .. import limits
from ..errors import CorruptFile, EncryptedFile, NianbaoError, OcrUnavailable
from .document import Document
from .layout import Glyph, PageItems, TableGrid, cells_to_grid, glyph_lines, join_wrapped
from .pages import drop_running_lines, in_margin, pages_to_lines

_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def read_pdf(data: bytes, path: str = "") -> Document:
    scanned = triage(data, path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError

    pages: list[PageItems] = []
    ocr_pages: list[int] = []
    pictures: dict[int, list[tuple[float, float, float, float]]] = {}  # page → table-sized images
    title = ""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            title = str((pdf.metadata or {}).get("Title") or "")
            for i, page in enumerate(pdf.pages):
                limits.check_pages(i + 1, path or "PDF")
                if i in scanned or unmapped_font(page):
                    ocr_pages.append(i)
                    pages.append(PageItems(i + 1, float(page.height)))
                    continue
                items = page_items(page, i + 1)
                pages.append(items)
                boxes = picture_boxes(page)
                if boxes and not any(isinstance(it, TableGrid) for _, it in items.items):
                    pictures[i] = boxes
    except PDFEncryptionError as e:  # a wrong password, or an encryption pdfminer does not know
        raise EncryptedFile(_encrypted_message(path), path) from e
    except NianbaoError:
        raise
    except Exception as e:  # pdfminer meets damaged files with any error (RecursionError, struct.error …)
        raise CorruptFile(f"{path or 'PDF'}: PDF 文件已损坏，无法读取 ({type(e).__name__}: {e})", path) from e
    doc = Document(lines=[], format="pdf", reader="pdf")
    if ocr_pages:
        from . import ocr

        if not ocr.available():
            if len(ocr_pages) == len(pages):
                raise OcrUnavailable(
                    f"{path or 'PDF'}: 这是扫描件（页面没有文字层），需要文字识别（OCR）组件才能读取；"
                    '请安装：pip install "nianbao[ocr]" (scanned PDF: OCR extra not installed)',
                    path,
                )
            doc.notes.append(f"pages {', '.join(str(i + 1) for i in ocr_pages)} are scans; OCR extra not installed")
        else:
            low = 0
            for i, items, n in ocr.ocr_pdf_pages(data, ocr_pages, path):
                pages[i] = items
                low += n
            if low:
                doc.notes.append(f"ocr: {low} text boxes read with low confidence")
            doc.reader = "ocr" if len(ocr_pages) == len(pages) else "pdf+ocr"
    if pictures:
        from . import ocr

        if ocr.available():
            for i, boxes in pictures.items():
                pages[i].items += ocr.ocr_pdf_regions(data, i, boxes)
                pages[i].items.sort(key=lambda it: it[0])
            doc.reader = "pdf+ocr" if doc.reader == "pdf" else doc.reader
        else:
            doc.notes.append(f"pages {', '.join(str(i + 1) for i in pictures)} show pictures (tables?); OCR extra not installed")
    drop_running_lines(pages)
    doc.lines = pages_to_lines(pages)
    if (ocr_pages or pictures) and not ocr.available() and not any(line.cells for line in doc.lines):
        doc.tables_as_images = True
    title = re.sub(r"\s+", "", title)
    if "报告" in title:
        doc.hints["title"] = title
    return doc


def _encrypted_message(path: str) -> str:
    return f"{path or 'PDF'}: 加密文件：PDF 需要打开密码，无法读取；请提供未加密的文件 (encrypted PDF)"


def triage(data: bytes, path: str = "") -> set[int]:
    """Open the file with pypdfium2; return the 0-based numbers of pages that are scans."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedFile(_encrypted_message(path), path) from e
        raise CorruptFile(f"{path or 'PDF'}: PDF 文件已损坏，无法打开 ({e})", path) from e
    scanned = set()
    try:
        if len(pdf) == 0:
            raise CorruptFile(f"{path or 'PDF'}: PDF 文件没有页面 (no pages)", path)
        limits.check_pages(len(pdf), path or "PDF")
        for i in range(len(pdf)):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as e:
                raise CorruptFile(f"{path or 'PDF'}: PDF 文件已损坏，第 {i + 1} 页无法打开 ({e})", path) from e
            text = page.get_textpage().get_text_range()
            visible = re.sub(r"\s+", "", text)
            unusable = len(_PRIVATE_USE.findall(visible)) > len(visible) / 2
            if len(visible) < 10 or unusable:
                images = any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
                if images:
                    scanned.add(i)
    finally:
        pdf.close()
    return scanned


# an image this wide and this large (shares of the page) may be a table pasted as a picture;
# seals, logos and signatures are smaller
PICTURE_WIDTH = 0.4
PICTURE_AREA = 0.04


def picture_boxes(page) -> list[tuple[float, float, float, float]]:
    """Boxes of the large images on a text page: a table pasted as a picture is one."""
    area = float(page.width) * float(page.height)
    out = []
    for im in page.images:
        x0, top, x1, bottom = (max(0.0, float(im["x0"])), max(0.0, float(im["top"])),
                               min(float(page.width), float(im["x1"])), min(float(page.height), float(im["bottom"])))
        if x1 - x0 >= PICTURE_WIDTH * float(page.width) and (x1 - x0) * (bottom - top) >= PICTURE_AREA * area:
            out.append((x0, top, x1, bottom))
    return out


def unmapped_font(page) -> bool:
    """Text drawn in a font without a Unicode map: pdfminer gives ``(cid:123)`` for most glyphs,
    so the text layer is unusable and the page must be read like a scan."""
    chars = page.chars
    if len(chars) < 10:
        return False
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    return cid > len(chars) / 2


def text_turn(chars: list[dict]) -> int:
    """How the page's text runs: 0 upright, 90 top to bottom, 270 bottom to top (a landscape
    table printed sideways on a portrait page), 180 upside down. Decided by most characters."""
    counts = {90: 0, 180: 0, 270: 0}
    for c in chars:
        m = c.get("matrix")
        if not m:
            continue
        if m[1] < 0:
            counts[90] += 1
        elif m[1] > 0:
            counts[270] += 1
        elif m[0] < 0:
            counts[180] += 1
    turn = max(counts, key=counts.get)
    return turn if counts[turn] > len(chars) / 2 else 0


def turn_box(box: tuple[float, float, float, float], turn: int, width: float, height: float):
    """A box (x0, top, x1, bottom) of the page as displayed, in the frame where text is upright."""
    x0, top, x1, bottom = box
    if turn == 90:  # text reads downwards: the page turned a quarter anticlockwise
        return (top, width - x1, bottom, width - x0)
    if turn == 270:
        return (height - bottom, x0, height - top, x1)
    if turn == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return box


def page_items(page, number: int) -> PageItems:
    """A text page: its table grids and text lines, each with its top."""
    width, height = float(page.width), float(page.height)
    chars = [c for c in page.chars if c["text"].strip()]
    turn = text_turn(chars)
    glyphs = [Glyph(c["text"], *turn_box((c["x0"], c["top"], c["x1"], c["bottom"]), turn, width, height))
              for c in chars]
    items = PageItems(number, width if turn in (90, 270) else height)
    tables: list[TableGrid] = []
    if page.edges:
        for t in page.find_tables():
            if len(t.cells) < 4:
                continue
            cells = [turn_box(c, turn, width, height) for c in t.cells]
            x0 = min(c[0] for c in cells)
            top = min(c[1] for c in cells)
            x1 = max(c[2] for c in cells)
            bottom = max(c[3] for c in cells)
            inside = [g for g in glyphs if x0 <= g.cx <= x1 and top <= g.cy <= bottom]
            grid = cells_to_grid(cells, inside)
            if len(grid.rows) >= 2 and len(grid.rows[0]) >= 2:
                tables.append(grid)
    rest = glyphs
    for t in tables:
        x0, top, x1, bottom = t.bbox
        rest = [g for g in rest if not (x0 <= g.cx <= x1 and top <= g.cy <= bottom)]
        items.items.append((top, t))
    lines = glyph_lines(rest)
    body = [ln for ln in lines if not in_margin(items, ln)]
    margins = [ln for ln in lines if in_margin(items, ln)]
    for ln in margins + join_wrapped(body):
        items.items.append((ln.top, ln))
    items.items.sort(key=lambda it: it[0])
    return items
