"""覆盖: for a year and a region, which agencies of the corpus published a report and which did not."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...store import query as corpus
from ..pages import render
from .filters import choices, filters_from

router = APIRouter()


@router.get("/coverage")
def coverage(request: Request):
    store = request.app.state.store
    f = filters_from(request)
    years = corpus.years(store)
    if f.year is None and years:
        f.year = years[0]
    cov = corpus.coverage(store, f.year, f) if f.year else {"year": None, "published": [], "missing": []}
    return render(request, "coverage.html", page="coverage", f=f, cov=cov, choices=choices(store, f))

