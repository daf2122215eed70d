"""覆盖: for a report year, which agencies that must publish did so (on time or late) and which did
not (overdue, or not yet due), against the imported roster (名单) or, without one, the agencies of the
corpus. Paged and sortable, filters in the URL, ``?format=json|csv|xlsx`` for exactly what is
filtered; the year defaults to the last one whose deadline has passed. ``POST /coverage/roster``
imports a roster file; ``/coverage/unassigned`` lists the reports without an agency (待确认机关).
"""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from ...errors import NianbaoError
from ...store import query as corpus
from ...store import roster as RO
from ...store.coverage import default_year, last_due_year
from ..lists import LIST, MAX_PAGE, BadParameter, Column, json_page, list_context, list_params, table_file
from ..pages import render
from ..jobs import off_loop
from ..params import integer, takes
from ..security import MAX_FILE_BYTES, check_form_csrf, sheet_limits
from .filters import FILTERS, choices, filters_from

router = APIRouter()

PAGE_SIZE = 100
COLUMNS = (
    Column("name", "机关"), Column("region", "地区"), Column("state", "状态"), Column("published", "发布日期", first_desc=True),
    Column("kind", "类别", sortable=False), Column("deadline", "发布期限", sortable=False),
    Column("last", "最近一份年报", sortable=False),
)
FILE_COLUMNS = (
    Column("agency", "机关"), Column("region", "地区"), Column("kind", "类别"), Column("year", "年度"),
    Column("deadline", "发布期限"), Column("state_label", "状态"), Column("report_id", "报告编号"),
    Column("published", "发布日期"),
)


@takes(*FILTERS, *LIST)
@router.get("/coverage")
def coverage(request: Request):
    store = request.app.state.store
    qp = request.query_params
    state = qp.get("state", "").strip() or None
    if state is not None and state not in RO.STATES and state not in corpus.FINDING_STATES:
        raise BadParameter(f"参数“state”应为 {'、'.join(RO.STATES)} 之一，而不是“{state[:20]}”")
    f = filters_from(request, states={**RO.STATES, **corpus.FINDING_STATES})
    state = state if state in RO.STATES else None
    params = list_params(request, COLUMNS, "state", per_page=PAGE_SIZE)
    year = f.year or default_year(store) or last_due_year()
    f.year = year
    f.page = params.page
    region = f.county or f.city or f.province or None
    cov = RO.roster_coverage(
        store, year, region=region, state=state, sort=params.sort, descending=params.desc,
        limit=None if params.everything else params.per_page, offset=0 if params.everything else params.offset,
    )
    if params.format == "json":
        return json_page(request, params, cov["total"], cov["items"], year=year, roster=cov["roster"],
                         counts=cov["counts"])
    if params.everything:
        return table_file(params, FILE_COLUMNS, cov["items"], f"覆盖-{year}", f"coverage-{year}",
                          lambda it, key: year if key == "year" else it.get(key))
    total, unassigned = RO.unassigned_reports(store, limit=0)
    return render(
        request, "coverage.html", page="coverage", f=f, cov=cov, choices=choices(store, f), states=RO.STATES,
        state=state, columns=COLUMNS, n_unassigned=total, roster_size=RO.roster_size(store),
        **list_context(request, params, cov["total"]),
    )


@router.post("/coverage/roster")
async def import_roster(request: Request, file: UploadFile = File(...), replace: str = Form(""), csrf: str = Form("")):
    """Import a roster file: the good rows are stored, the bad ones listed with their row numbers."""
    check_form_csrf(request, csrf)  # a multipart form carries its CSRF token in the body
    store = request.app.state.store
    data = await file.read(MAX_FILE_BYTES + 1)
    name = (file.filename or "名单").replace("\\", "/").rsplit("/", 1)[-1]
    problems, result, error, status = [], None, None, 400
    if len(data) > MAX_FILE_BYTES:
        error, status = f"{name}: 文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限", 413
    else:
        try:
            # read in a worker process (an XLSX's zip checked before openpyxl opens it), stored in a
            # thread: one upload never stalls the server
            parsed = await off_loop(RO.parse_roster, data, name, sheet_limits())
            problems = parsed.problems
            result = await run_in_threadpool(RO.import_roster, store, parsed.entries, replace=bool(replace))
        except NianbaoError as e:  # RosterError, or the worker's time limit
            error = e.message
    return render(request, "roster_result.html", page="coverage", filename=name, result=result, problems=problems,
                  error=error, status_code=status if error else 200)


@router.get("/coverage/unassigned")
def unassigned(request: Request, page: str = "", assigned: Optional[int] = Query(None, ge=1),
               to: Optional[int] = Query(None, ge=1)):
    """待确认机关; ``assigned`` and ``to``: the report just assigned and its agency (the notice)."""
    store = request.app.state.store
    page = integer(page, "page", 1, MAX_PAGE, default=1, what="正整数（页码）")
    total, rows = RO.unassigned_reports(store, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "unassigned.html", page="coverage", total=total, rows=rows, page_no=page,
                  pages=max(1, -(-total // PAGE_SIZE)))
