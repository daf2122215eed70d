"""问题: the findings of the whole corpus in one list, filtered like 年报列表 (region, year, kind,
reading status) and by rule, severity and review state, sorted, paged, exportable; each links to its
cell on the report page."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...model import SEVERITIES
from ...store import query as corpus
from ...store.review import SORTS, STATES, finding_page
from ..pages import render
from .filters import choices, filters_from

router = APIRouter()
SORT_LABEL = {"severity": "按级别", "year": "按年度", "agency": "按机关", "rule": "按规则"}


@router.get("/findings")
def findings(request: Request):
    store = request.app.state.store
    f = filters_from(request)
    q = request.query_params
    severity = q.get("severity", "") if q.get("severity", "") in SEVERITIES else ""
    state = f.state if f.state in STATES else ""  # the list filter "reports with a finding in this state"
    sort = q.get("sort", "") if q.get("sort", "") in SORTS else "severity"
    scope = [w for w in _scope(f)]
    total, rows = finding_page(
        store, scope, rule=f.rule or None, severity=severity or None, state=state or None, sort=sort,
        limit=corpus.PAGE_SIZE, offset=(max(f.page, 1) - 1) * corpus.PAGE_SIZE,
    )
    pages = max(1, -(-total // corpus.PAGE_SIZE))
    return render(
        request, "findings.html", page="findings", f=f, rows=rows, total=total, pages=pages,
        choices=choices(store, f), severity=severity, state=state, sort=sort, sorts=SORT_LABEL,
    )


def _scope(f):
    """The reports the list filters select; the rule and state filters apply to the findings."""
    from dataclasses import replace

    return replace(f, rule="", state="").where()
