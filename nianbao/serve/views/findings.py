"""问题: the findings of the whole corpus in one list, filtered like 年报列表 (region, year, kind,
reading status) and by rule, severity and review state; sorted by any column (click its header),
paged, ``?format=json|csv|xlsx`` for the page or every listed finding (see
:mod:`nianbao.serve.lists`); each links to its cell on the report page. The query is
:func:`nianbao.store.review.finding_page`, the one ``/api/findings`` asks too."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request

from ...model import SEVERITIES
from ...store.review import STATE_LABEL, STATES, finding_page
from ..lists import (LIST, BadParameter, Column, html_headers, in_chunks, is_fragment_request, json_page, list_context,
                     list_params, table_file)
from ..pages import render
from ..params import takes
from ..tables import SEVERITY_LABEL, cells_summary
from .filters import FILTERS, choices, filters_from

router = APIRouter()

COLUMNS = (
    Column("agency", "机关"), Column("year", "年度", first_desc=True, numeric=True), Column("severity", "级别"),
    Column("message", "问题", sortable=False), Column("rule", "规则"), Column("state", "处理状态"),
)
FILE_COLUMNS = (Column("id", "问题编号"), Column("report_id", "报告编号"), COLUMNS[0], COLUMNS[1], COLUMNS[2],
                COLUMNS[4], COLUMNS[3], Column("cells", "单元格"), Column("expected", "应为"), Column("actual", "实为"),
                COLUMNS[5], Column("note", "处理说明"))


def _file_value(row: dict, key: str):
    if key == "severity":
        return SEVERITY_LABEL.get(row["severity"], row["severity"])
    if key == "state":
        return STATE_LABEL.get(row["state"], row["state"])
    if key == "cells":
        return cells_summary(row.get("cells") or [])
    if key == "note":
        review = row.get("review") or {}
        return "：".join(x for x in (review.get("by"), review.get("note")) if x)
    return row.get(key)


@takes(*FILTERS, "severity", *LIST)
@router.get("/findings")
def findings(request: Request):
    store = request.app.state.store
    f = filters_from(request)
    q = request.query_params
    severity = q.get("severity", "").strip()
    if severity and severity not in SEVERITIES:
        raise BadParameter(f"参数“severity”应为 {'、'.join(SEVERITIES)} 之一，而不是“{severity[:20]}”")
    state = q.get("state", "").strip()
    if state and state not in STATES:
        raise BadParameter(f"参数“state”应为 {'、'.join(STATES)} 之一，而不是“{state[:20]}”")
    params = list_params(request, COLUMNS, "severity")
    f.page = params.page
    scope = replace(f, rule="", state="").where()  # the reports; rule and state apply to the findings

    def fetch(limit: int, offset: int):
        return finding_page(store, scope, rule=f.rule or None, severity=severity or None, state=state or None,
                            sort=params.sort, descending=params.desc, limit=limit, offset=offset)

    total, rows = fetch(params.per_page, 0 if params.everything else params.offset)
    if params.everything:
        every = in_chunks(lambda limit, offset: fetch(limit, offset)[1], total)
        return table_file(params, FILE_COLUMNS, every, "问题清单", "findings", _file_value)
    if params.format == "json":
        return json_page(request, params, total, rows)
    fragment = is_fragment_request(request, "results")
    context = dict(page="findings", f=f, rows=rows, columns=COLUMNS, choices=choices(store, f), severity=severity,
                   state=state, **list_context(request, params, total))
    return html_headers(render(request, "_finding_rows.html" if fragment else "findings.html", **context), fragment)
