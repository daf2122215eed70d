"""年报列表: search by agency or place, filter by region cascade, year, kind and status.

Its download links go to ``/export/{reports|findings|cells}.…`` with the list's filters (exactly
the reports it shows, every page); ``?format=json`` gives the same page as JSON. The live search swaps only the rows (htmx) and pushes the URL; every answer says
``Vary: HX-Request`` so that the browser never shows a cached fragment as a page on Back.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ...store import query as corpus
from ..pages import render
from .filters import choices, filters_from

router = APIRouter()

JSON_FIELDS = ("id", "agency", "year", "template", "status", "n_errors", "n_warnings", "n_infos", "province",
               "city", "county", "kind", "published", "path")


@router.get("/reports")
def reports(request: Request):
    store = request.app.state.store
    fmt = request.query_params.get("format", "")
    f = filters_from(request)
    rows, total = corpus.list_reports(store, f)
    pages = max(1, -(-total // corpus.PAGE_SIZE))
    if fmt == "json":
        return JSONResponse({"total": total, "page": f.page, "pages": pages,
                             "items": [{k: getattr(r, k) for k in JSON_FIELDS} for r in rows]})
    context = dict(page="reports", f=f, rows=rows, total=total, pages=pages, choices=choices(store, f), statuses=corpus.STATUSES)
    partial = request.headers.get("hx-request") and request.headers.get("hx-target") == "results" \
        and not request.headers.get("hx-history-restore-request")
    response = render(request, "_report_rows.html" if partial else "reports.html", **context)
    response.headers["Vary"] = "HX-Request, HX-Target"
    if partial:
        response.headers["Cache-Control"] = "no-store"
    return response
