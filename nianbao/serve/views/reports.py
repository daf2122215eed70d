"""年报列表: search by agency or place, filter by region cascade, year, kind and status.

``?format=csv|xlsx`` downloads the list as shown (every page), ``?format=findings.csv|findings.xlsx``
the findings of those reports (the spreadsheets of ``views/export.py``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...store import query as corpus
from ..pages import render
from . import export as list_export
from .filters import choices, filters_from

router = APIRouter()

DOWNLOADS = {"csv": ("reports", "csv"), "xlsx": ("reports", "xlsx"),
             "findings.csv": ("findings", "csv"), "findings.xlsx": ("findings", "xlsx")}


@router.get("/reports")
def reports(request: Request):
    store = request.app.state.store
    download = DOWNLOADS.get(request.query_params.get("format", ""))
    if download:
        return list_export.export(request, *download)
    f = filters_from(request)
    rows, total = corpus.list_reports(store, f)
    pages = max(1, -(-total // corpus.PAGE_SIZE))
    context = dict(page="reports", f=f, rows=rows, total=total, pages=pages, choices=choices(store, f), statuses=corpus.STATUSES)
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "results":
        return render(request, "_report_rows.html", **context)
    return render(request, "reports.html", **context)
