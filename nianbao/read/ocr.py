"""Scanned pages and images, read by OCR (the optional ``[ocr]`` extra: rapidocr + onnxruntime).

rapidocr ships its detection and recognition models inside the wheel, so nothing is downloaded at
run time. A page is rendered by pypdfium2 at :data:`DPI`; the table's ruling lines are found in the
image (OpenCV morphology: long horizontal and vertical strokes), handed to pdfplumber's own
edges → cells → tables steps, and every OCR box goes to the cell holding its centre. The grid is
then built exactly as for a text PDF (:mod:`.layout`).

OCR can misread; the extractor's checks (and a person) must see the result. Boxes read with low
confidence are kept but counted in ``Document.notes``.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
from collections.abc import Iterator

from .. import limits
from ..errors import CorruptFile, ImageTooLarge, OcrUnavailable
from .document import Document
from .layout import Glyph, PageItems, TableGrid, TextLine, cells_to_grid, glyph_lines, join_wrapped
from .pages import drop_running_lines, pages_to_lines

DPI = 150
LOW_CONFIDENCE = 0.8
_engine = None


def available() -> bool:
    return importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("onnxruntime") is not None


def _unavailable(path: str) -> OcrUnavailable:
    return OcrUnavailable(
        f"{path or '文件'}: 这是图片或扫描件，需要文字识别（OCR）组件才能读取；"
        '请安装：pip install "nianbao[ocr]" (OCR extra not installed)',
        path,
    )


def engine():
    """The OCR engine, made once per process (loading the models takes about a second)."""
    global _engine
    if _engine is None:
        from rapidocr import RapidOCR

        _engine = RapidOCR(params={"Global.log_level": "error"})
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return _engine


def ocr_glyphs(image, scale: float) -> tuple[list[Glyph], int]:
    """OCR boxes of a PIL image as glyphs in points (pixels / ``scale``); and how many were
    read with low confidence."""
    import numpy as np

    result = engine()(np.array(image.convert("RGB")), use_det=True, use_cls=True, use_rec=True)
    glyphs: list[Glyph] = []
    low = 0
    if result.boxes is None:
        return glyphs, low
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        if score < LOW_CONFIDENCE:
            low += 1
            if not trusted(text, score):
                continue  # the cell stays empty (null) rather than hold a doubtful number
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        glyphs.append(Glyph(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale))
    return glyphs, low


_NUMERIC = re.compile(r"^[\s\d,，.．/／%-]+$")


def trusted(text: str, score: float) -> bool:
    """Whether an OCR result may be used: a number read with low confidence may not (a wrong
    count is worse than a missing one); words may, the extractor matches them loosely."""
    return score >= LOW_CONFIDENCE or not _NUMERIC.match(text)


def ruling_edges(image, scale: float) -> list[dict]:
    """Horizontal and vertical ruling lines of a page image, as pdfplumber edge dicts in points."""
    import cv2
    import numpy as np

    gray = np.array(image.convert("L"))
    ink = (gray < 160).astype(np.uint8) * 255
    h, w = ink.shape
    # strokes longer than a few characters are rules, not text
    long_h = max(40, int(scale * 30))
    long_v = max(25, int(scale * 16))
    edges: list[dict] = []
    for orientation, kernel in (("h", (long_h, 1)), ("v", (1, long_v))):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, bw, bh, _area in stats[1:n]:
            x0, x1, top, bottom = x / scale, (x + bw) / scale, y / scale, (y + bh) / scale
            if orientation == "h":
                mid = (top + bottom) / 2
                top = bottom = mid
            else:
                mid = (x0 + x1) / 2
                x0 = x1 = mid
            edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                          "height": bottom - top, "orientation": orientation, "object_type": "line"})
    return edges


def image_tables(image, scale: float) -> list[list[tuple[float, float, float, float]]]:
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = merge_edges(ruling_edges(image, scale), 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [t for t in cells_to_tables(cells) if len(t) >= 4]


SLASH_LIKE = {"1", "l", "I", "|", "/", "\\", "7", "i", "丨"}


def _ink(image, box: tuple[float, float, float, float], scale: float, inset: float = 0.0):
    """Dark pixels inside ``box`` (points), as a boolean array; ``inset`` trims the borders."""
    import numpy as np

    x0, top, x1, bottom = (v * scale for v in box)
    gray = np.asarray(image.convert("L"))
    crop = gray[int(top + inset):int(bottom - inset), int(x0 + inset):int(x1 - inset)]
    return crop < 160


def is_slash(ink) -> bool:
    """Whether the ink of a one-stroke glyph leans like ``/`` rather than standing like ``1``.

    OCR models read a lone ``/`` (the "nothing to report" mark) as ``1``; reading it as a count
    would put a number the report never printed into the model.
    """
    import numpy as np

    if ink.size == 0:
        return False
    ink = ink.copy()
    ink[ink.mean(axis=1) > 0.6, :] = False  # ruling lines caught in the box
    ink[:, ink.mean(axis=0) > 0.6] = False
    ys, xs = np.nonzero(ink)
    if len(xs) < 5 or ys.std() == 0:
        return False
    slope = float(np.cov(xs, ys)[0, 1] / ys.var())  # dx per dy: "/" goes left as it goes down
    return slope < -0.2


def fix_slashes(image, glyphs: list[Glyph], scale: float) -> None:
    for g in glyphs:
        if g.text.strip() in SLASH_LIKE:
            if is_slash(_ink(image, (g.x0, g.top, g.x1, g.bottom), scale)):
                g.text = "/"


def read_empty_cells(image, cells, glyphs: list[Glyph], scale: float) -> list[Glyph]:
    """Cells with ink but no OCR box (detection misses lone short marks such as ``/`` or ``0``):
    recognise the cell's crop alone."""
    import numpy as np

    extra = []
    for cell in cells:
        x0, top, x1, bottom = cell
        if any(x0 <= g.cx <= x1 and top <= g.cy <= bottom for g in glyphs):
            continue
        ink = _ink(image, cell, scale, inset=4)
        if ink.size == 0 or ink.sum() < 8:
            continue
        ys, xs = np.nonzero(ink)
        ox, oy = x0 * scale + 4, top * scale + 4
        bx0, bx1, by0, by1 = xs.min() + ox, xs.max() + ox + 1, ys.min() + oy, ys.max() + oy + 1
        pad = 6
        crop = image.convert("RGB").crop((int(bx0 - pad), int(by0 - pad), int(bx1 + pad), int(by1 + pad)))
        result = engine()(np.array(crop), use_det=False, use_cls=False, use_rec=True)
        texts = getattr(result, "txts", None) or ()
        scores = getattr(result, "scores", None) or ()
        text = texts[0] if texts else ""
        score = float(scores[0]) if scores else 0.0
        if not text or score < 0.5 or not trusted(text, score):
            continue
        g = Glyph(text, bx0 / scale, by0 / scale, bx1 / scale, by1 / scale)
        if text.strip() in SLASH_LIKE and is_slash(ink[int(ys.min()):int(ys.max()) + 1, int(xs.min()):int(xs.max()) + 1]):
            g.text = "/"
        extra.append(g)
    return extra


def image_items(image, number: int, scale: float) -> tuple[PageItems, int]:
    glyphs, low = ocr_glyphs(image, scale)
    fix_slashes(image, glyphs, scale)
    items = PageItems(number, image.height / scale)
    rest = glyphs
    for cells in image_tables(image, scale):
        x0 = min(c[0] for c in cells)
        top = min(c[1] for c in cells)
        x1 = max(c[2] for c in cells)
        bottom = max(c[3] for c in cells)
        inside = [g for g in rest if x0 <= g.cx <= x1 and top <= g.cy <= bottom]
        inside += read_empty_cells(image, cells, inside, scale)
        grid: TableGrid = cells_to_grid(cells, inside)
        if len(grid.rows) >= 2 and len(grid.rows[0]) >= 2:
            rest = [g for g in rest if not (x0 <= g.cx <= x1 and top <= g.cy <= bottom)]
            items.items.append((top, grid))
    for line in join_wrapped(glyph_lines(rest)):
        items.items.append((line.top, line))
    items.items.sort(key=lambda it: it[0])
    return items, low


def ocr_pdf_pages(data: bytes, pages: list[int], path: str = "") -> Iterator[tuple[int, PageItems, int]]:
    """OCR the given 0-based pages of a PDF: ``(page index, items, low-confidence boxes)``."""
    if not available():
        raise _unavailable(path)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    scale = DPI / 72
    try:
        for i in pages:
            _check_render(pdf[i], scale, f"{path or 'PDF'} 第 {i + 1} 页")
            image = pdf[i].render(scale=scale, grayscale=True).to_pil()
            items, low = image_items(image, i + 1, scale)
            yield i, items, low
    finally:
        pdf.close()


def ocr_pdf_regions(data: bytes, page: int, boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, object]]:
    """OCR the pictures at ``boxes`` (points) of a text page: their items, placed on the page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    scale = DPI / 72
    out: list[tuple[float, object]] = []
    try:
        _check_render(pdf[page], scale, f"PDF 第 {page + 1} 页")
        image = pdf[page].render(scale=scale, grayscale=True).to_pil()
        for x0, top, x1, bottom in boxes:
            crop = image.crop((int(x0 * scale), int(top * scale), int(x1 * scale), int(bottom * scale)))
            items, _ = image_items(crop, page + 1, scale)
            for y, item in items.items:
                if isinstance(item, TextLine):
                    item = TextLine(item.text, item.x0 + x0, item.top + top, item.x1 + x0, item.bottom + top, item.columns)
                out.append((y + top, item))
    finally:
        pdf.close()
    return out


def _check_render(page, scale: float, where: str) -> None:
    """A page is rendered only when its image stays under the pixel limit."""
    width, height = page.get_size()
    limits.check_pixels(int(width * scale) * int(height * scale), where)


def read_image(data: bytes, path: str = "") -> Document:
    """An image file (a photographed or scanned page)."""
    if not available():
        raise _unavailable(path)
    from PIL import Image, UnidentifiedImageError


    from PIL.Image import DecompressionBombError

    try:
        image = Image.open(io.BytesIO(data))
        n_frames = getattr(image, "n_frames", 1)
        limits.check_pages(n_frames, path or "图片")
        limits.check_pixels(image.width * image.height * n_frames, path or "图片")
        frames = []
        for k in range(n_frames):
            image.seek(k)
            limits.check_pixels(image.width * image.height * (k + 1), path or "图片")
            frames.append(image.convert("RGB"))
    except DecompressionBombError as e:
        raise ImageTooLarge(f"{path or '图片'}: 图片像素过多，不予识别 ({e})", path) from e
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as e:
        raise CorruptFile(f"{path or '图片'}: 图片已损坏，无法读取 ({e})", path) from e
    dpi = (image.info.get("dpi") or (DPI, DPI))[0] or DPI
    scale = float(dpi) / 72
    pages, low = [], 0
    for k, frame in enumerate(frames):
        items, n = image_items(frame, k + 1, scale)
        pages.append(items)
        low += n
    drop_running_lines(pages)
    doc = Document(lines=pages_to_lines(pages), format="image", reader="ocr")
    if low:
        doc.notes.append(f"ocr: {low} text boxes read with low confidence")
    return doc
