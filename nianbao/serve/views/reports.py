"""年报列表: search by agency or place, filter by region cascade, year, kind and status; sort by any
column (click its header), page through; ``?format=json`` gives the page as JSON and
``?format=csv|xlsx`` every listed report in the same order (see :mod:`nianbao.serve.lists`).

The bulk links go to ``/export/{reports|findings|cells}.…`` with the list's filters (every cell of
exactly the reports listed). The live search, the headers and the pager swap only the rows (htmx)
and push the URL; a history restore gets the whole page, and every answer says ``Vary`` on the htmx
headers so that the browser never shows a cached fragment as a page on Back.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...store import query as corpus
from ...store.queries import count_reports, list_reports
from ..lists import (LIST, Column, html_headers, in_chunks, is_fragment_request, json_page, list_context, list_params,
                     table_file)
from ..pages import render
from ..params import takes
from .filters import FILTERS, choices, filters_from

router = APIRouter()

COLUMNS = (
    Column("agency", "机关"), Column("place", "地区"), Column("kind", "类型"),
    Column("year", "年度", first_desc=True, numeric=True), Column("template", "格式"), Column("status", "状态"),
    Column("errors", "错误", first_desc=True, numeric=True), Column("warnings", "警告", first_desc=True, numeric=True),
    Column("published", "发布日期", first_desc=True),
)
FILE_COLUMNS = (Column("id", "报告编号"),) + COLUMNS[:6] + (Column("reading", "读取状态"),) + COLUMNS[6:] + (Column("path", "文件"),)


def item(s, statuses=corpus.STATUSES) -> dict:
    """A listed report as JSON (and as a row of the downloads)."""
    return {"id": s.id, "agency": s.name, "place": s.place, "province": s.region.get("province"),
            "city": s.region.get("city"), "county": s.region.get("county"), "kind": s.kind, "year": s.year,
            "template": s.template, "status": s.status, "status_label": statuses.get(s.status, s.status),
            "reading": s.reading, "errors": s.n_errors, "warnings": s.n_warnings, "infos": s.n_infos,
            "published": s.published, "path": s.path, "error": s.error_message}


def _file_value(row: dict, key: str):
    if key == "status":
        return row["status_label"]
    if key == "reading":
        return corpus.READINGS.get(row["reading"], "")
    return row.get(key)


@takes(*FILTERS, *LIST)
@router.get("/reports")
def reports(request: Request):
    store = request.app.state.store
    f = filters_from(request)
    params = list_params(request, COLUMNS, "place")
    f.page = params.page
    where = f.where()
    total = count_reports(store, where=where)

    def fetch(limit: int, offset: int):
        return list_reports(store, where=where, sort=params.sort, descending=params.desc, limit=limit, offset=offset)

    if params.everything:
        rows = (item(s) for s in in_chunks(fetch, total))
        return table_file(params, FILE_COLUMNS, rows, "年报列表", "reports", _file_value)
    rows = fetch(params.per_page, params.offset)
    if params.format == "json":
        return json_page(request, params, total, [item(s) for s in rows])
    fragment = is_fragment_request(request, "results")
    context = dict(page="reports", f=f, rows=rows, columns=COLUMNS, choices=choices(store, f),
                   statuses=corpus.STATUSES, **list_context(request, params, total))
    return html_headers(render(request, "_report_rows.html" if fragment else "reports.html", **context), fragment)
