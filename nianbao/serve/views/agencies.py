"""机关: the agencies of the corpus, one agency's reports by year and its history, and a person's
changes (issue 15 §2): assign a report to an agency (from the report page or the 待确认机关 queue),
rename, merge two agencies, mark one abolished from a year on. Every change is a POST carrying
the CSRF token in its form body, and is recorded in the audit log (``store.audit``), shown on the
agency page and on 操作记录 (/audit).
"""

from __future__ import annotations

from urllib.parse import urlencode

from typing import Optional

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from ...errors import StoreError
from ...store import agency_history as AH
from ...store import audit
from ..jobs import check_pair
from ..lists import MAX_PAGE
from ..pages import author_of, render
from ..params import integer, parse_int

router = APIRouter()

PAGE_SIZE = 50


def _page_no(text: str) -> int:
    return integer(text, "page", 1, MAX_PAGE, default=1, what="正整数（页码）")


COLUMNS = (("name", "机关"), ("place", "地区"), ("reports", "报告"))


@router.get("/agencies")
def agencies(request: Request, q: str = "", page: str = "", sort: str = "name", dir: str = "", format: str = ""):
    """The agencies, searchable (former names too), sorted, paged; ``?format=json`` gives the same
    page as JSON (``{"total", "items", "next"}``)."""
    store = request.app.state.store
    page_no = _page_no(page)
    if sort not in AH.SORTS:
        raise HTTPException(400, f"参数“sort”不是可选的值（可用：{'、'.join(AH.SORTS)}）")
    if dir not in ("", "asc", "desc"):
        raise HTTPException(400, "参数“dir”应为 asc 或 desc")
    if format not in ("", "html", "json"):
        raise HTTPException(400, "参数“format”应为 html 或 json")
    desc = dir == "desc"
    total, rows = AH.search_agencies(store, q, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, sort=sort, descending=desc)
    pages = max(1, -(-total // PAGE_SIZE))
    params = {"q": q, "sort": sort if sort != "name" else "", "dir": dir}

    def url(n: int | None = None, **change) -> str:
        values = {**params, **change, "page": n if n and n > 1 else ""}
        return "/agencies?" + urlencode({k: v for k, v in values.items() if v})

    if format == "json":
        return JSONResponse({"total": total, "items": rows,
                             "next": url(page_no + 1, format="json") if page_no < pages else None})
    return render(request, "agencies.html", page="agencies", q=q, rows=rows, total=total, page_no=page_no,
                  pages=pages, url=url, sort=sort, desc=desc, columns=COLUMNS)


@router.get("/agencies/options")
def agency_options(request: Request, q: str = "", agency: str = "", target: str = ""):
    """``<option>``s of a pick list (htmx fills a ``<datalist>`` as a person types)."""
    text = q or agency or target
    _, rows = AH.search_agencies(request.app.state.store, text.split("（#")[0], limit=30)
    return render(request, "_agency_options.html", rows=rows, label=AH.option_label)


def agency_page(request: Request, agency_id: int, form: dict | None = None, status_code: int = 200):
    store = request.app.state.store
    a = AH.agency_page(store, agency_id)
    if a is None:
        raise HTTPException(404, f"机关 {agency_id} 不存在")
    return render(request, "agency.html", status_code=status_code, page="agencies", a=a, form=form or {},
                  events=audit.events(store, agency_id=agency_id), deleted=request.query_params.get("deleted"))


@router.get("/agencies/{agency_id}")
def agency(request: Request, agency_id: int, format: str = "", deleted: Optional[int] = Query(None, ge=1)):
    """An agency's page (``deleted``: the report just deleted, for the notice)."""
    if format == "json":
        store = request.app.state.store
        a = AH.agency_page(store, agency_id)
        if a is None:
            raise HTTPException(404, f"机关 {agency_id} 不存在")
        reports = [{k: r[k] for k in ("id", "year", "status", "n_errors", "n_warnings", "published", "path", "assigned")}
                   for _, rs in a.years for r in rs]
        return JSONResponse({"id": a.id, "name": a.name, "kind": a.kind, "placement": a.placement, "place": a.place,
                             "region_code": a.region_code, "abolished_from": a.abolished_from, "aliases": a.aliases,
                             "reports": reports, "history": [e.to_json() for e in audit.events(store, agency_id=agency_id)]})
    if format not in ("", "html"):
        raise HTTPException(400, "参数“format”应为 html 或 json")
    return agency_page(request, agency_id)


@router.post("/agencies/{agency_id}/place")
def place(request: Request, agency_id: int, region: str = Form("")):
    """确认地区 of an agency whose place the reader could not tell (a candidate, or any region code)."""
    store = request.app.state.store
    refused = _change(request, agency_id, {"which": "place", "region": region},
                      lambda: AH.place_agency(store, agency_id, region, author_of(request)))
    return refused or RedirectResponse(f"/agencies/{agency_id}#history", status_code=303)


def _change(request: Request, agency_id: int, form: dict, action) -> object:
    """Run a change; a refused one is shown on the agency page (400), with what was typed."""
    try:
        action()
    except StoreError as e:
        return agency_page(request, agency_id, {**form, "error": e.message}, 400)
    return None


@router.post("/agencies/{agency_id}/rename")
def rename(request: Request, agency_id: int, name: str = Form("")):
    store = request.app.state.store
    refused = _change(request, agency_id, {"which": "rename", "name": name},
                      lambda: AH.rename_agency(store, agency_id, name, author_of(request)))
    return refused or RedirectResponse(f"/agencies/{agency_id}#history", status_code=303)


@router.post("/agencies/{agency_id}/merge")
def merge(request: Request, agency_id: int, target: str = Form("")):
    """Merge this agency into the one named in ``target``; the page of the merged agency follows."""
    store = request.app.state.store
    found: dict = {}

    def run() -> None:
        with store.engine.connect() as conn:
            found["id"] = AH.find_agency(conn, target).id
        AH.merge_agencies(store, agency_id, found["id"], author_of(request), pair=check_pair)

    refused = _change(request, agency_id, {"which": "merge", "target": target}, run)
    return refused or RedirectResponse(f"/agencies/{found['id']}#history", status_code=303)


@router.post("/agencies/{agency_id}/abolish")
def abolish(request: Request, agency_id: int, year: str = Form(""), restore: str = Form("")):
    store = request.app.state.store
    form = {"which": "abolish", "year": year}
    if restore:
        value = None
    elif parse_int(year) is not None:
        value = parse_int(year)
    else:
        return agency_page(request, agency_id, {**form, "error": f"请填写撤销的起始年度（四位数字），而不是“{year[:20]}”"}, 400)
    refused = _change(request, agency_id, form, lambda: AH.set_abolished(store, agency_id, value, author_of(request)))
    return refused or RedirectResponse(f"/agencies/{agency_id}#history", status_code=303)


@router.post("/reports/{report_id}/agency")
def assign(request: Request, report_id: int, agency: str = Form(""), back: str = Form("")):
    """Assign a report to an agency (an existing one, or a new one for a name the corpus does not
    know). ``back``: where to return (the 待确认机关 queue); the report page otherwise."""
    from .detail import detail_page, report_or_404

    store = request.app.state.store
    report_or_404(store, report_id)
    try:
        agency_id = AH.assign_report(store, report_id, agency, author_of(request), pair=check_pair)
    except StoreError as e:
        if back == "unassigned":
            return render(request, "error.html", status_code=400, title="无法指定机关",
                          message=e.message + "（请返回待确认机关列表重新选择）")
        return detail_page(request, report_id, {"agency_error": e.message, "agency": agency}, 400)
    if back == "unassigned":
        return RedirectResponse(f"/coverage/unassigned?assigned={report_id}&to={agency_id}", status_code=303)
    return RedirectResponse(f"/reports/{report_id}#agency", status_code=303)


@router.get("/audit")
def audit_log(request: Request, format: str = ""):
    """操作记录: the latest changes of the corpus, newest first (``?format=json`` as JSON)."""
    events = audit.events(request.app.state.store, limit=500)
    if format == "json":
        return JSONResponse({"total": len(events), "items": [e.to_json() for e in events], "next": None})
    if format not in ("", "html"):
        raise HTTPException(400, "参数“format”应为 html 或 json")
    return render(request, "audit.html", page="agencies", events=events)
