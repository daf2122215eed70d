"""报告详情: issue-first summary, the three tables as the official format with findings on their
cells, the source beside them, the chapters' text, and correcting a misread cell."""

from __future__ import annotations

from typing import List

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ...corrections import CorrectionError, correct
from ...errors import NianbaoError
from ...store.review import get_review, history as report_history, resolved_findings, review
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
    """The report as shown (the stored report holds the corrected values), the latest correction
    event of each cell and the values as read (the model's ``corrections``)."""
    latest: dict[str, dict] = {}
    for e in events:
        latest[e["path"]] = e
    corrections = (report.model_extra or {}).get("corrections") or {}
    originals = {p: c.get("read") for p, c in corrections.items()}
    return report, latest, originals


@router.get("/reports/{report_id}")
def detail(request: Request, report_id: int):
    return detail_page(request, report_id)


def detail_page(request: Request, report_id: int, form: dict | None = None, status_code: int = 200):
    """The report page; ``form``: the 更正 form as submitted, with its validation ``error``."""
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
        status_code=status_code,
        form=form or {},
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
        resolved=resolved_findings(store, report_id),
        history=report_history(store, report_id),
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
    path: List[str] = Form([]),
    value: List[str] = Form([]),
    reason: str = Form(""),
):
    """The 更正 form: several cells at once (rows with no cell chosen are skipped), through the one
    correction path; a refused value is shown on the form, nothing recorded."""
    store = request.app.state.store
    report_or_404(store, report_id)
    rows = [(p.strip(), v) for p, v in zip(path, list(value) + [""] * (len(path) - len(value)))]
    changes = [(p, v) for p, v in rows if p]
    form = {"rows": rows, "reason": reason}
    if not changes:
        return detail_page(request, report_id, {**form, "error": "请选择要更正的单元格"}, 400)
    if not reason.strip():
        return detail_page(request, report_id, {**form, "error": "更正必须填写理由"}, 400)
    author = request.session.get("user") or "本机用户"
    try:
        correct(store, report_id, changes, reason.strip(), author)
    except CorrectionError as e:
        return detail_page(request, report_id, {**form, "error": e.message}, 400)
    return RedirectResponse(f"/reports/{report_id}#c-{changes[0][0].replace('.', '-')}", status_code=303)


@router.post("/findings/{finding_id}/review")
def review_finding(request: Request, finding_id: str, state: str = Form(""), note: str = Form("")):
    """确认 / 排除 / 已说明 a finding, with a note; a refused review is shown beside the finding."""
    store = request.app.state.store
    found = get_review(store, finding_id)
    if found is None:
        raise HTTPException(404, f"问题 {finding_id} 不存在")
    author = request.session.get("user") or "本机用户"
    try:
        review(store, finding_id, state, note, author)
    except NianbaoError as e:
        form = {"review_id": finding_id, "review_error": e.message, "review_note": note}
        return detail_page(request, found.report_id, form, 400)
    return RedirectResponse(f"/reports/{found.report_id}#review-{finding_id}", status_code=303)
