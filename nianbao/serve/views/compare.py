"""比对: one agency's two years side by side, changed cells highlighted, cross-year findings shown."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, HTTPException, Query, Request

from ...store import query as corpus
from ..pages import render
from ..tables import CellContext, report_tables
from .detail import with_overrides

router = APIRouter()


def _side(store, report_id: int):
    row = corpus.report_row(store, report_id)
    if row is None or row.status == "unreadable":
        raise HTTPException(404, f"报告 {report_id} 不存在或无法读取")
    report = corpus.load_report(store, report_id)
    shown, latest, originals = with_overrides(report, corpus.override_events(store, report_id))
    return row, shown, latest, originals


@router.get("/compare")
def compare(request: Request, a: Optional[int] = Query(None, ge=1), b: Optional[int] = Query(None, ge=1),
            agency: Optional[int] = Query(None, ge=1), q: str = Query("", max_length=100)):
    store = request.app.state.store
    if a is None or b is None:
        if agency is not None:
            years = corpus.agency_years(store, agency)
            if len(years) >= 2:
                (_, newer), (_, older) = years[0], years[1]
                a, b = older, newer
        if a is None or b is None:
            return render(request, "compare_pick.html", page="compare", q=q, agencies=corpus.agencies_with_several_years(store, q))
    row_a, rep_a, lat_a, orig_a = _side(store, a)
    row_b, rep_b, lat_b, orig_b = _side(store, b)
    if (row_a.year or 0) > (row_b.year or 0):
        (row_a, rep_a, lat_a, orig_a), (row_b, rep_b, lat_b, orig_b) = (row_b, rep_b, lat_b, orig_b), (row_a, rep_a, lat_a, orig_a)
    cross = [(i, f) for i, f in enumerate(rep_b.findings) if _against(f, row_a.id)]
    # A cross-year finding names the earlier report's cells in ``other.cells``: mark them there too.
    on_a = [f.model_copy(update={"cells": f.other["cells"]}) for _, f in cross if isinstance(getattr(f, "other", None), dict) and f.other.get("cells")]
    t_a = report_tables(CellContext(rep_a, rep_a.findings + on_a, lat_a, orig_a, other=rep_b, prefix="a-"))
    t_b = report_tables(CellContext(rep_b, rep_b.findings, lat_b, orig_b, other=rep_a, prefix="b-"))
    changed = [c for c in t_b.cells.values() if c.changed]
    years = corpus.agency_years(store, row_b.agency_id) if row_b.agency_id else []
    return render(
        request, "compare.html", page="compare", row_a=row_a, row_b=row_b, rep_a=rep_a, rep_b=rep_b,
        t_a=t_a, t_b=t_b, cross=cross, changed=changed, years=years,
    )


def _against(finding, earlier_id: int) -> bool:
    """A cross-year finding of the later report made against the earlier one shown."""
    other = getattr(finding, "other", None)
    if isinstance(other, dict) and other.get("report_id") is not None:
        return other["report_id"] == earlier_id
    return getattr(finding, "origin", None) == "cross_year"
