"""编写: write this year's report in the browser (issue 16, item 4).

A draft starts from last year's report in the corpus (or an empty template of the right version),
takes table 3 from the request register and table 2 from the records file (``nianbao.register``),
and is edited chapter by chapter and cell by cell. Every change is saved and checked at once by the
checker's registry (``nianbao.draft.findings``); each finding is shown beside the cells it names.
The download (``nianbao.render``) is refused while an error finding is neither fixed nor explained.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from sqlalchemy import func, select

from ... import draft as D
from ... import template as T
from ...corrections import CorrectionError, cell_kinds, parse_value
from ...errors import NianbaoError
from ...model import Report
from ...store import drafts as store_drafts
from ...store import query as corpus
from ...store import schema as S
from ..pages import author_of, render
from ..params import parse_int, too_large

router = APIRouter()

FORMAT_LABEL = {"docx": "Word（DOCX）", "html": "网页（HTML）", "pdf": "PDF"}
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
MAX_REGISTER_BYTES = 20 * 1024 * 1024


def _dom(path: str) -> str:
    return path.replace(".", "-")


# --------------------------------------------------------------------------- the form's layout


def form_tables(report: Report) -> dict:
    """The editable cells of the draft's template, with the official labels (template.py)."""
    version = report.meta.template or T.template_for_year(report.meta.year) or "2021"
    active = []
    for ar in T.ACTIVE_ROWS[version]:
        active.append({"label": ar.label, "caption": ar.caption,
                       "cells": [(f.label, T.ac(ar.key, f.key), f.kind) for f in ar.fields]})
    requests = []
    present = report.tables.requests or {}
    split = any(k in present for k in T.OTHER_SPLIT_KEYS) or ("other_handling" not in present and version == "2021")
    for r in T.request_rows(version, split):
        group = r.group if r.group and r.group != T.REQUEST_GROUPS[0][0] else ""
        requests.append({"label": f"{r.number}{T.short_label(r.label)}", "group": group, "full": r.label,
                         "cells": [T.rq(r.key, c) for c in T.REQUEST_COLUMN_KEYS]})
    appeals = [{"label": bl, "cells": [(fl, T.ap(b, f)) for f, fl in T.APPEAL_FIELDS]} for b, bl in T.APPEAL_BLOCKS]
    return {"version": version, "active": active, "requests": requests, "appeals": appeals}


def cell_notes(found, explanations: dict[str, str]) -> dict[str, list[dict]]:
    """The findings on each cell, for the note beside it."""
    notes: dict[str, list[dict]] = {}
    for f in found:
        key = D.finding_key(f)
        for p in f.cells:
            notes.setdefault(p, []).append({"severity": f.severity, "message": f.message, "key": key,
                                            "explained": bool(explanations.get(key))})
    return notes


def check_context(d, report: Report, explanations: dict[str, str], previous: Optional[Report], refused=None) -> dict:
    found = D.findings(report, previous)
    left = D.unexplained_errors(found, explanations)
    shown = [{"f": f, "key": D.finding_key(f), "label": "、".join(T.cell_label(p) for p in f.cells[:3])} for f in found]
    return {
        "draft": d,
        "report": report,
        "found": shown,
        "counts": {s: sum(f.severity == s for f in found) for s in T.SEVERITIES},
        "left": left,
        "explanations": explanations,
        "notes": cell_notes(found, explanations),
        "refused": refused or {},
        "sentences": D.sentences(report),
        "chapter_label": {c.key: c.heading for c in T.CHAPTERS},
        "layout": form_tables(report),
        "formats": FORMAT_LABEL,
        "dom": _dom,
    }


# --------------------------------------------------------------------------- loading


def draft_or_404(store, draft_id: int):
    d = store_drafts.get(store, draft_id)
    if d is None:
        raise HTTPException(404, f"编写稿 {draft_id} 不存在")
    return d


def previous_of(store, d) -> Optional[Report]:
    if d.based_on is None:
        return None
    prev = corpus.load_report(store, d.based_on)
    if prev is not None:
        prev.findings = []
    return prev


def candidates(store, limit: int = 500) -> list[dict]:
    """Readable reports of the corpus a draft may start from, newest year first."""
    r, a = S.reports, S.agencies
    q = (
        select(r.c.id, func.coalesce(a.c.name, r.c.agency_raw).label("agency"), r.c.year)
        .select_from(r.outerjoin(a, r.c.agency_id == a.c.id))
        .where(r.c.status != "unreadable", r.c.year.is_not(None))
        .order_by(r.c.year.desc(), func.coalesce(a.c.name, r.c.agency_raw), r.c.id)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [dict(m) for m in conn.execute(q).mappings()]


def last_year_report(store, agency: str, year: int) -> Optional[int]:
    """The corpus report of ``agency`` on ``year - 1`` (its name as stored or as printed)."""
    r, a = S.reports, S.agencies
    q = (
        select(r.c.id)
        .select_from(r.outerjoin(a, r.c.agency_id == a.c.id))
        .where(r.c.status != "unreadable", r.c.year == year - 1, (a.c.name == agency) | (r.c.agency_raw == agency))
        .order_by(r.c.id.desc())
    )
    with store.engine.connect() as conn:
        return conn.execute(q).scalar()


# --------------------------------------------------------------------------- pages


@router.get("/write")
def start_page(request: Request, source: Optional[int] = Query(None, ge=1)):
    store = request.app.state.store
    return render(request, "editor_start.html", page="write", drafts=store_drafts.listing(store),
                  candidates=candidates(store), chosen=source, form={})


@router.post("/write")
def start(request: Request, source: str = Form(""), agency: str = Form(""), year: str = Form("")):
    """A new draft: from the chosen report (or last year's report of the agency found in the
    corpus), else from the empty template of the year's version."""
    store = request.app.state.store
    form = {"source": source, "agency": agency, "year": year}
    agency = agency.strip()
    error = None
    y = None
    if year.strip():
        y = parse_int(year, 2008, 2100)
        if y is None:
            error = f"年度“{year[:20]}”无效：请填写四位数的年份，如 2025"
    prev = None
    source_id = None
    if not error and source.strip():
        source_id = parse_int(source, 1)
        if source_id is None:
            error = "请从列表中选择上年报告"
        else:
            prev = corpus.load_report(store, source_id)
            if prev is None:
                error = f"报告 {source_id} 不存在或无法读取"
    if not error and prev is None:
        if not agency or y is None:
            error = "请选择上年报告，或填写机关名称和报告年度（从空白模板开始）"
        else:
            source_id = last_year_report(store, agency, y)
            prev = corpus.load_report(store, source_id) if source_id else None
    if error:
        return render(request, "editor_start.html", status_code=400, page="write", drafts=store_drafts.listing(store),
                      candidates=candidates(store), chosen=None, form={**form, "error": error})
    if prev is not None:
        prev.findings = []
        report = D.from_last_year(prev, y, agency or None)
    else:
        report = D.empty(agency, y)
    author = author_of(request)
    draft_id = store_drafts.create(store, report, source_id if prev is not None else None, author)
    return RedirectResponse(f"/write/{draft_id}", status_code=303)


@router.get("/write/{draft_id}")
def editor_page(request: Request, draft_id: int):
    store = request.app.state.store
    d = draft_or_404(store, draft_id)
    ctx = check_context(d, d.report, d.explanations, previous_of(store, d))
    return render(request, "editor.html", page="write", **ctx)


def apply_form(report: Report, form) -> tuple[Report, dict[str, str], dict[str, str]]:
    """The draft as the form says: (report, explanations, refused cells {path: message}).

    A cell that is not a number keeps its saved value and is listed in ``refused``."""
    r = report.model_copy(deep=True)
    meta = r.meta
    if "meta.agency" in form:
        meta.agency = form.get("meta.agency", "").strip() or None
    if "meta.title" in form:
        meta.title = form.get("meta.title", "").strip() or None
    if "meta.published" in form:
        meta.published = form.get("meta.published", "").strip() or None
    for ch in T.CHAPTER_KEYS:
        name = f"sections.{ch}"
        if name in form:
            text = form.get(name, "").replace("\r\n", "\n").strip()
            setattr(r.sections, ch, text or None)
    kinds = cell_kinds(r)
    refused: dict[str, str] = {}
    for path, kind in kinds.items():
        if path not in form:
            continue
        if too_large(form.get(path)):
            refused[path] = f"{T.cell_label(path)}：数值“{str(form.get(path)).strip()[:30]}”超出范围"
            continue
        try:
            value = parse_value(form.get(path), kind, T.cell_label(path))
        except CorrectionError as e:
            refused[path] = e.message
            continue
        r.set(path, value)
    explanations = {k[len("explain."):]: (v or "").strip() for k, v in form.items() if k.startswith("explain.")}
    return r, explanations, refused


# The three form posts below read the form (async: the body arrives without blocking), then load,
# save and check the draft in a thread, so that a long check never stalls the server's event loop.


@router.post("/write/{draft_id}/check")
async def check(request: Request, draft_id: int):
    """htmx, on every change: save what the form holds (a non-number cell refused, its old value
    kept), check it, answer the findings panel and the note beside every cell."""
    return await run_in_threadpool(_check, request, draft_id, await request.form())


def _check(request: Request, draft_id: int, form):
    store = request.app.state.store
    d = draft_or_404(store, draft_id)
    report, explanations, refused = apply_form(d.report, form)
    store_drafts.save(store, draft_id, report, explanations)
    ctx = check_context(d, report, explanations, previous_of(store, d), refused)
    return render(request, "editor_check.html", oob=True, **ctx)


@router.post("/write/{draft_id}")
async def save(request: Request, draft_id: int):
    """The 保存 button without script: save, then the page again (400 with the refused cells)."""
    return await run_in_threadpool(_save, request, draft_id, await request.form())


def _save(request: Request, draft_id: int, form):
    store = request.app.state.store
    d = draft_or_404(store, draft_id)
    report, explanations, refused = apply_form(d.report, form)
    store_drafts.save(store, draft_id, report, explanations)
    if refused:
        ctx = check_context(d, report, explanations, previous_of(store, d), refused)
        return render(request, "editor.html", status_code=400, page="write", **ctx)
    return RedirectResponse(f"/write/{draft_id}", status_code=303)


@router.post("/write/{draft_id}/sentences")
async def add_sentences(request: Request, draft_id: int):
    """Put the sentences computed from the tables at the end of chapters 三 and 四 (the form as
    submitted saved first)."""
    return await run_in_threadpool(_add_sentences, request, draft_id, await request.form())


def _add_sentences(request: Request, draft_id: int, form):
    store = request.app.state.store
    d = draft_or_404(store, draft_id)
    report, explanations, _refused = apply_form(d.report, form)
    for key, lines in D.sentences(report).items():
        text = getattr(report.sections, key) or ""
        add = "".join(s for s in lines if s not in text)
        if add:
            setattr(report.sections, key, (text.rstrip() + "\n" if text.strip() else "") + add)
    store_drafts.save(store, draft_id, report, explanations)
    return RedirectResponse(f"/write/{draft_id}#chapter-requests", status_code=303)


@router.post("/write/{draft_id}/import")
async def import_register(request: Request, draft_id: int, kind: str = Form(""), file: UploadFile = File(None),
                          csrf: str = Form("")):
    """A request register (→ table 3) or a records file (→ table 2), read by ``nianbao.register``:
    its bad rows listed on the page with their row and reason, every other row counted."""
    from ..security import check_form_csrf

    check_form_csrf(request, csrf)  # a multipart form carries its CSRF token in the body, never in the URL
    from ...register.io import RECORD_COLUMNS, REQUEST_COLUMNS, read_sheet
    from ..jobs import off_loop
    from ..security import sheet_limits

    store = request.app.state.store
    d = await run_in_threadpool(draft_or_404, store, draft_id)
    imported: dict = {"kind": kind}
    sheet = None
    status = 400
    if kind not in ("requests", "records"):
        imported["error"] = "请选择导入的台账类型"
    elif file is None or not file.filename:
        imported["error"] = "请选择要导入的文件（CSV 或 XLSX）"
    else:
        name = Path(file.filename).name
        imported["name"] = name
        data = await file.read(MAX_REGISTER_BYTES + 1)
        if len(data) > MAX_REGISTER_BYTES:
            imported["error"] = f"{name}：文件过大（超过 {MAX_REGISTER_BYTES // (1024 * 1024)} MB）"
            status = 413
        else:
            try:
                # read in a worker process (an XLSX's zip checked before openpyxl opens it): one
                # upload never stalls the server
                columns = REQUEST_COLUMNS if kind == "requests" else RECORD_COLUMNS
                sheet = await off_loop(read_sheet, data, columns, name, sheet_limits())
            except NianbaoError as e:  # RegisterError, or the worker's time limit
                imported["error"] = e.message
    # the tables computed, the draft saved and checked in a thread, off the event loop
    return await run_in_threadpool(_imported_page, request, store, d, kind, sheet, imported, status)


def _imported_page(request: Request, store, d, kind: str, sheet, imported: dict, status: int):
    from ...register.records import table2
    from ...register.requests import table3

    report = d.report
    if sheet is not None:
        name = imported["name"]
        try:
            year = report.meta.year
            if kind == "requests":
                result = table3(sheet, year, _as_of(year))
                if result.template != report.meta.template:
                    raise NianbaoError(f"{name}：按{result.year}年计算的表三为{result.template}年版格式，与本稿不符")
                report.tables.requests = result.requests
                imported["overdue"] = len(result.overdue)
            else:
                previous = previous_of(store, d)
                result = table2(sheet, year, report.meta.template, previous)
                report.tables.active = result.active
                imported["carried"] = [T.cell_label(p) for p in result.carried]
            imported["errors"] = result.errors
            imported["rows"] = len(sheet.rows)
            store_drafts.save(store, d.id, report, d.explanations)
        except NianbaoError as e:
            imported["error"] = e.message
    ctx = check_context(d, report, d.explanations, previous_of(store, d))
    return render(request, "editor.html", status_code=status if imported.get("error") else 200, page="write",
                  imported=imported, **ctx)


def _as_of(year: Optional[int]):
    """The day overdue days are counted to: today, or the year's last day once the calendar data
    ends (due dates only matter for the overdue list, not for table 3)."""
    import datetime as dt

    from ...register.calendar import covers

    today = dt.date.today()
    if covers(today):
        return today
    end = dt.date(year or today.year, 12, 31)
    return end if covers(end) else today


@router.get("/write/{draft_id}/download.{fmt}")
def download(request: Request, draft_id: int, fmt: str):
    """The draft in the official format, once every error finding is fixed or explained; otherwise
    a page (409) that lists what is left."""
    from ...render.official import render as render_report

    if fmt not in FORMAT_LABEL:
        raise HTTPException(404, f"不支持的下载格式：{fmt}")
    store = request.app.state.store
    d = draft_or_404(store, draft_id)
    found = D.findings(d.report, previous_of(store, d))
    left = D.unexplained_errors(found, d.explanations)
    if left:
        return render(request, "editor_blocked.html", status_code=409, page="write", draft=d, left=left,
                      label=T.cell_label)
    report = d.report.model_copy(deep=True)
    report.findings = []
    data, _doc = render_report(report, fmt)
    name = f"{d.report.meta.title or D.draft_title(d.agency, d.year)}.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename=\"draft-{draft_id}.{fmt}\"; filename*=UTF-8''{quote(name)}"}
    return Response(data, media_type=MEDIA[fmt], headers=headers)
