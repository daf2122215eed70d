"""报告详情: issue-first summary, the three tables as the official format with findings on their
cells, the source beside them, the chapters' text, and correcting a misread cell; the report's
agency (assigned by a person), its original files for download, re-reading it with the current
reader, deleting it (after a confirmation page), a print stylesheet, and the agency's trend over
any number of years with charts linking to the reports (issue 15 §6)."""

from __future__ import annotations

import re
from typing import List

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from urllib.parse import quote

import nianbao
from ...corrections import CorrectionError, correct
from ...errors import NianbaoError
from ...store.review import get_review, history as report_history, resolved_findings, review
from ...metrics import METRICS
from ...store import audit
from ...template import ap, rq
from ...store import query as corpus
from ...store import report_admin as RA
from ...store.agency_history import option_label
from ..pages import author_of, render
from ..params import takes, too_large, year as year_param
from ..source import source_view
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


@takes("done")  # the notice after an action (?done=reread)
@router.get("/reports/{report_id}")
def detail(request: Request, report_id: int):
    return detail_page(request, report_id)


def detail_page(request: Request, report_id: int, form: dict | None = None, status_code: int = 200):
    """The report page; ``form``: the 更正 form as submitted, with its validation ``error``."""
    store = request.app.state.store
    row = report_or_404(store, report_id)
    common = {"files": RA.report_files(store, report_id), "audit_events": audit.events(store, report_id=report_id),
              "done": request.query_params.get("done", ""), "agency_label": option_label(row.agency, row.agency_id)
              if row.agency_id else ""}
    if row.status == "unreadable":
        return render(request, "detail_failed.html", status_code=status_code, page="reports", row=row, form=form or {},
                      **common)
    report = corpus.load_report(store, report_id)
    if report is None:
        raise HTTPException(404, f"报告 {report_id} 没有可显示的内容")
    events = corpus.override_events(store, report_id)
    shown, latest, originals = with_overrides(report, events)
    ctx = CellContext(shown, report.findings, latest, originals)
    t = report_tables(ctx)
    src = source_view(corpus.source_lines(store, report_id))
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
        **common,
    )


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
    huge = next((v for _, v in changes if too_large(v)), None)
    if huge is not None:
        return detail_page(request, report_id, {**form, "error": f"数值“{huge.strip()[:30]}”超出范围，无法保存"}, 400)
    author = author_of(request)
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
    author = author_of(request)
    try:
        review(store, finding_id, state, note, author)
    except NianbaoError as e:
        form = {"review_id": finding_id, "review_error": e.message, "review_note": note}
        return detail_page(request, found.report_id, form, 400)
    return RedirectResponse(f"/reports/{found.report_id}#review-{finding_id}", status_code=303)


# --------------------------------------------------------------------------- files, re-read, delete


_SHA = re.compile(r"[0-9a-f]{64}")


def _download(data: bytes, f: RA.StoredFile, fmt: str | None) -> Response:
    import mimetypes

    media = (RA.MEDIA_TYPES.get(fmt or "") if f.primary else None) or mimetypes.guess_type(f.name)[0] or "application/octet-stream"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", f.name) or "original"
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(f.name)}",
        "Cache-Control": "no-store",
    })


@router.get("/reports/{report_id}/original")
def original(request: Request, report_id: int):
    """The file the report was read from, as it was ingested."""
    store = request.app.state.store
    row = report_or_404(store, report_id)
    files = RA.report_files(store, report_id)
    data = RA.file_bytes(store, report_id, files[0].sha256) if files else None
    if data is None:
        raise HTTPException(404, f"报告 {report_id} 的原始文件未保存")
    return _download(data, files[0], row.format)


@router.get("/reports/{report_id}/files/{sha256}")
def original_file(request: Request, report_id: int, sha256: str):
    """Any of the report's files: the original or a copy joined to it (another format, another path)."""
    store = request.app.state.store
    row = report_or_404(store, report_id)
    if not _SHA.fullmatch(sha256):
        raise HTTPException(404, "文件编号无效（应为 64 位十六进制 SHA-256）")
    found = next((f for f in RA.report_files(store, report_id) if f.sha256 == sha256), None)
    data = RA.file_bytes(store, report_id, sha256) if found else None
    if data is None:
        raise HTTPException(404, f"报告 {report_id} 没有这个文件")
    return _download(data, found, row.format)


@router.post("/reports/{report_id}/reread")
def reread(request: Request, report_id: int):
    """Read the stored original again with the current reader, in place: the report keeps its id,
    its corrections (applied again) and its findings' reviews (the ids are stable), as ``nianbao
    reparse`` does; the file is read in the upload workers, under the reading limits."""
    from ...pipeline import ingest_inputs
    from ...store.inputs import Input
    from .. import jobs

    store = request.app.state.store
    row = report_or_404(store, report_id)
    data = corpus.original_bytes(store, report_id)
    if data is None:
        raise HTTPException(404, f"报告 {report_id} 的原始文件未保存，无法重新读取")
    before = (row.status, row.n_errors, row.n_warnings)
    results = list(ingest_inputs(store, [Input(row.path, lambda: data)], engine=jobs.pool(), force=True))
    result = results[0] if results else None
    after = corpus.report_row(store, report_id)
    if result is None or after is None:
        raise HTTPException(500, "重新读取未完成")
    status_label = {"errors": "有错误", "clean": "无错误", "partial": "部分读取", "unreadable": "无法读取"}
    error = f"；读取失败：{result.error.get('message')}" if result.error else ""
    summary = (f"用当前读取程序（第 {nianbao.READER_VERSION} 版）重新读取：{status_label.get(before[0], before[0])}、"
               f"错误 {before[1]}、警告 {before[2]} → {status_label.get(after.status, after.status)}、错误 {after.n_errors}、"
               f"警告 {after.n_warnings}{error}")
    with store.engine.begin() as conn:
        audit.record(conn, "reread", summary, author=author_of(request), agency_id=after.agency_id, report_id=report_id,
                     detail={"status": result.status, "before": before, "after": [after.status, after.n_errors, after.n_warnings],
                             "reader_version": nianbao.READER_VERSION})
    return RedirectResponse(f"/reports/{report_id}?done=reread#report-actions", status_code=303)


@router.get("/reports/{report_id}/delete")
def delete_confirm(request: Request, report_id: int):
    """The confirmation page: what deleting the report removes."""
    store = request.app.state.store
    row = report_or_404(store, report_id)
    return render(request, "detail_delete.html", page="reports", row=row, preview=RA.deletion_preview(store, report_id),
                  files=RA.report_files(store, report_id), error="")


@router.post("/reports/{report_id}/delete")
def delete(request: Request, report_id: int, confirm: str = Form("")):
    from ..jobs import check_pair

    store = request.app.state.store
    row = report_or_404(store, report_id)
    if confirm != str(report_id):
        return render(request, "detail_delete.html", status_code=400, page="reports", row=row,
                      preview=RA.deletion_preview(store, report_id), files=RA.report_files(store, report_id),
                      error=f"请在确认框中填写报告编号 {report_id} 以确认删除")
    done = RA.delete_report(store, report_id, author_of(request), pair=check_pair)
    if done["agency_id"] is not None:
        return RedirectResponse(f"/agencies/{done['agency_id']}?deleted={report_id}#history", status_code=303)
    return RedirectResponse("/audit", status_code=303)


# --------------------------------------------------------------------------- the agency's years


DEFAULT_TREND_CELLS = (rq("new_received"), ap("reconsideration"), ap("litigation_direct"))


@router.get("/reports/{report_id}/trend")
def trend(request: Request, report_id: int, years: List[str] = Query([]), cell: List[str] = Query([]), all: str = ""):
    """历年趋势: the report's agency over the chosen years (every year when none is chosen), cell by
    cell, with a chart per chosen cell whose bars open the reports."""
    from ...store.trend import agency_trend
    from ...template import ALL_CELL_PATHS, cell_label
    from ..charts import trend_chart
    import json

    store = request.app.state.store
    row = report_or_404(store, report_id)
    if row.agency_id is None:
        raise HTTPException(400, "此报告尚未确定机关，无法按年度比较；请先在报告页指定机关")
    picked = [year_param(y, "years") for y in years if y.strip()]  # each a four-digit year, or 400
    unknown = [c for c in cell if c and c not in ALL_CELL_PATHS]
    if unknown:
        raise HTTPException(400, f"参数“cell”不是年报表格中的单元格：“{unknown[0][:60]}”")
    t = agency_trend(store, row.agency_id, picked, everything=bool(all))
    chosen = [c for c in cell if c] or [c for c in DEFAULT_TREND_CELLS]
    by_path = {r.path: r for r in t.rows}
    charts = []
    for i, path in enumerate(chosen[:6]):
        r = by_path.get(path)
        values = r.values if r else [None] * len(t.years)
        option = trend_chart(cell_label(path), [y for y, _ in t.years], values, [rid for _, rid in t.years])
        charts.append((f"trend-chart-{i + 1}", path, json.dumps(option, ensure_ascii=False)))
    return render(request, "detail_trend.html", page="reports", row=row, t=t, charts=charts, chosen=chosen,
                  picked=set(picked), everything=bool(all))
