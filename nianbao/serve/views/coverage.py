"""覆盖: for a report year, which agencies that must publish did so (on time or late) and which did
not (overdue, or not yet due), against the imported roster (名单) or, without one, the agencies of the
corpus. Paged and sortable, filters in the URL, ``?format=json|csv|xlsx`` for exactly what is
filtered; the year defaults to the last one whose deadline has passed. ``POST /coverage/roster``
imports a roster file; ``/coverage/unassigned`` lists the reports without an agency (待确认机关).
"""

from __future__ import annotations

import io
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from ...store import roster as RO
from ...store.export import write_csv, write_xlsx
from ...store.api_queries import known_years
from ..api import last_due_year
from ..pages import render
from ..security import MAX_FILE_BYTES, check_form_csrf
from .filters import choices, filters_from

router = APIRouter()

PAGE_SIZE = 100
COLUMNS = (("name", "机关"), ("region", "地区"), ("state", "状态"), ("published", "发布日期"))


def default_year(store) -> int | None:
    """The last year whose deadline has passed, if the corpus has reports of it; else the newest
    year before it that the corpus has; else the newest year of the corpus."""
    years = known_years(store)
    if not years:
        return None
    due = last_due_year()
    earlier = [y for y in years if y <= due]
    return max(earlier) if earlier else max(years)


@router.get("/coverage")
def coverage(request: Request):
    store = request.app.state.store
    f = filters_from(request)
    qp = request.query_params
    year = f.year or default_year(store) or last_due_year()
    f.year = year
    state = qp.get("state") if qp.get("state") in RO.STATES else None
    sort = qp.get("sort") if qp.get("sort") in RO.SORTS else "state"
    desc = qp.get("dir") == "desc"
    region = f.county or f.city or f.province or None
    fmt = qp.get("format", "")
    everything = fmt in ("json", "csv", "xlsx")
    cov = RO.roster_coverage(
        store, year, region=region, state=state, sort=sort, descending=desc,
        limit=None if everything else PAGE_SIZE, offset=0 if everything else (f.page - 1) * PAGE_SIZE,
    )
    if fmt == "json":
        return JSONResponse(cov)
    if fmt in ("csv", "xlsx"):
        return _download(cov, fmt)
    params = {"year": year, "province": f.province, "city": f.city, "county": f.county, "state": state or "",
              "sort": sort, "dir": "desc" if desc else ""}

    def url(**change) -> str:
        values = {**params, **change}
        return "/coverage?" + urlencode({k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)})

    pages = max(1, -(-cov["total"] // PAGE_SIZE))
    total, unassigned = RO.unassigned_reports(store, limit=0)
    return render(
        request, "coverage.html", page="coverage", f=f, cov=cov, choices=choices(store, f), states=RO.STATES,
        state=state, sort=sort, desc=desc, columns=COLUMNS, url=url, pages=pages, page_no=f.page,
        n_unassigned=total, roster_size=RO.roster_size(store),
    )


def _download(cov: dict, fmt: str):
    header = ["机关", "地区", "类别", "年度", "发布期限", "状态", "报告编号", "发布日期"]
    rows = [[it["agency"], it["region"], it["kind"], cov["year"], it["deadline"], it["state_label"], it["report_id"],
             it["published"]] for it in cov["items"]]
    if fmt == "csv":
        text = io.StringIO()
        write_csv(text, header, rows)
        body = ("\ufeff" + text.getvalue()).encode("utf-8")
    else:
        buf = io.BytesIO()
        write_xlsx(buf, "覆盖", header, rows, wide={0, 1})
        body = buf.getvalue()
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"覆盖-{cov['year']}.{fmt}"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=coverage-{cov['year']}.{fmt}; filename*=UTF-8''{quote(name)}"})


@router.post("/coverage/roster")
async def import_roster(request: Request, file: UploadFile = File(...), replace: str = Form(""), csrf: str = Form("")):
    """Import a roster file: the good rows are stored, the bad ones listed with their row numbers."""
    check_form_csrf(request, csrf)  # a multipart form carries its CSRF token in the body
    store = request.app.state.store
    data = await file.read(MAX_FILE_BYTES + 1)
    name = (file.filename or "名单").replace("\\", "/").rsplit("/", 1)[-1]
    problems, result, error = [], None, None
    if len(data) > MAX_FILE_BYTES:
        error = f"{name}: 文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限"
    else:
        try:
            parsed = RO.parse_roster(data, name)
            problems = parsed.problems
            result = RO.import_roster(store, parsed.entries, replace=bool(replace))
        except RO.RosterError as e:
            error = e.message
    return render(request, "roster_result.html", page="coverage", filename=name, result=result, problems=problems,
                  error=error, status_code=400 if error else 200)


@router.get("/coverage/unassigned")
def unassigned(request: Request):
    store = request.app.state.store
    page = request.query_params.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    total, rows = RO.unassigned_reports(store, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "unassigned.html", page="coverage", total=total, rows=rows, page_no=page,
                  pages=max(1, -(-total // PAGE_SIZE)))
