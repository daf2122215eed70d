"""报告详情: issue-first summary, the three tables as the official format with findings on their
cells, the source beside them, the chapters' text, and correcting a misread cell."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ... import store as store_api
from ... import template as T
from ...errors import NianbaoError
from ...metrics import METRICS
from ...store import query as corpus
from ..pages import render
from ..source import pdf_page_png, pdf_word_boxes, source_view
from ..tables import CellContext, findings_by_table, report_tables

router = APIRouter()


def report_or_404(store, report_id: int):
    row = corpus.report_row(store, report_id)
    if row is None:
        raise HTTPException(404, f"报告 {report_id} 不存在")
    return row


def with_overrides(report, events: list[dict]):
    """The report as shown (latest override of each cell applied) and the values as read."""
    shown = report.model_copy(deep=True)
    latest: dict[str, dict] = {}
    originals: dict[str, object] = {}
    for e in events:
        latest[e["path"]] = e
        originals.setdefault(e["path"], report.get(e["path"]))
    for path, e in latest.items():
        shown.set(path, e["new"])
    return shown, latest, originals


@router.get("/reports/{report_id}")
def detail(request: Request, report_id: int):
    store = request.app.state.store
    row = report_or_404(store, report_id)
    if row.status == "unreadable":
        return render(request, "detail_failed.html", page="reports", row=row)
    report = corpus.load_report(store, report_id)
    if report is None:
        raise HTTPException(404, f"报告 {report_id} 没有可显示的内容")
    events = corpus.override_events(store, report_id)
    shown, latest, originals = with_overrides(report, events)
    ctx = CellContext(shown, report.findings, latest, originals)
    t = report_tables(ctx)
    src = source_view(f"{store.url}#{report_id}", lambda: corpus.original_bytes(store, report_id), report.source.path,
                      corpus.source_lines(store, report_id))
    years = corpus.agency_years(store, row.agency_id) if row.agency_id else []
    metrics = [(m.label, m.denominator_label, m.compute(shown)) for m in METRICS]
    return render(
        request,
        "detail.html",
        page="reports",
        row=row,
        report=shown,
        t=t,
        groups=findings_by_table(report.findings),
        findings=report.findings,
        events=events,
        src=src,
        other_years=[(y, i) for y, i in years if i != report_id],
        cell_choices=[(c.path, c.label) for c in t.cells.values()],
        metrics=metrics,
    )


@router.get("/reports/{report_id}/page/{page}.png")
def pdf_page(request: Request, report_id: int, page: int):
    store = request.app.state.store
    row = report_or_404(store, report_id)
    if row.format != "pdf":
        raise HTTPException(404, "此报告不是 PDF")
    data = corpus.original_bytes(store, report_id)
    if data is None:
        raise HTTPException(404, "原始文件未保存")
    return Response(pdf_page_png(data, page), media_type="image/png", headers={"Cache-Control": "max-age=3600"})


@router.get("/reports/{report_id}/page/{page}/boxes")
def pdf_boxes(request: Request, report_id: int, page: int, raw: str = ""):
    """Where a cell's raw text is printed on a PDF page (for the box drawn over the page image)."""
    store = request.app.state.store
    row = report_or_404(store, report_id)
    data = corpus.original_bytes(store, report_id) if row.format == "pdf" else None
    return {"boxes": pdf_word_boxes(data, page, raw[:40]) if data else []}


@router.post("/reports/{report_id}/override")
def override(
    request: Request,
    report_id: int,
    path: str = Form(...),
    value: str = Form(""),
    reason: str = Form(""),
):
    store = request.app.state.store
    report_or_404(store, report_id)
    report = corpus.load_report(store, report_id)
    if report is None:
        raise NianbaoError(f"报告 {report_id} 未能读取，没有可更正的单元格")
    valid = {c.path for c in T.all_cells(report.meta.template)} | {p for p, _ in report.cells()}
    if path not in valid:
        raise NianbaoError(f"“{path}”不是本报告表格中的单元格")
    reason = reason.strip()
    if not reason:
        raise NianbaoError("更正必须填写理由")
    new = parse_value(value)
    author = request.session.get("user") or "本机用户"
    store_api.add_override(store, report_id, path, new, reason, author)
    return RedirectResponse(f"/reports/{report_id}#c-{path.replace('.', '-')}", status_code=303)


def parse_value(text: str):
    """A corrected value as typed: an integer, a decimal, or empty for 'cannot be read'."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise NianbaoError(f"“{text}”不是数字：更正值只能是数字，或留空表示无法读取") from None
