"""The source panel's PDF pages (issue 15 §5): a page of the report's PDF as an image at a zoom,
the boxes where a cell's value is printed on it, and, for a report read from another format, the
pages of a PDF copy of it (``report_copies``). Pages are rendered once per file, page and zoom."""

from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from ...store.source import original_data, pdf_original
from ..pages import render
from ..source import ZOOMS, page_boxes, page_png, pdf_page_count

router = APIRouter()


def _pdf(request: Request, report_id: int) -> tuple[str, Callable[[], bytes], bool]:
    """(sha256, its bytes when a page is not cached yet, whether it is the report's own original)."""
    store = request.app.state.store
    got = pdf_original(store, report_id)
    if got is None:
        raise HTTPException(404, f"报告 {report_id} 没有保存的 PDF 原件")
    sha, own = got

    def data() -> bytes:
        found = original_data(store, sha)
        if found is None:
            raise HTTPException(404, f"报告 {report_id} 的 PDF 原件已不在库中")
        return found

    return sha, data, own


@router.get("/reports/{report_id}/source/page/{page}.png")
def page_image(request: Request, report_id: int, page: int, zoom: int = 1):
    if zoom not in ZOOMS:
        raise HTTPException(400, f"不支持的缩放倍数 {zoom}（可选 {'、'.join(map(str, ZOOMS))}）")
    sha, data, _ = _pdf(request, report_id)
    png = page_png(sha, data, page, zoom)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/reports/{report_id}/source/page/{page}/boxes")
def boxes(request: Request, report_id: int, page: int, raw: str = ""):
    """Where a cell's raw text is printed on a page (for the boxes drawn over the page image)."""
    sha, data, own = _pdf(request, report_id)
    if not own:  # a copy's pages are not where the cells were read
        return {"boxes": []}
    return {"boxes": page_boxes(sha, data, page, raw[:40])}


@router.get("/reports/{report_id}/source/pages")
def copy_pages(request: Request, report_id: int):
    """The page strip of a PDF copy of a report read from another format (empty when none)."""
    got = pdf_original(request.app.state.store, report_id)
    pages = pdf_page_count(got[0], lambda: original_data(request.app.state.store, got[0]) or b"") if got else 0
    return render(request, "_source_pages.html", report_id=report_id, pages=pages, copy=bool(got and not got[1]))
