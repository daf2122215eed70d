"""The read-only JSON API of spec §10 (开放数据接口), documented at ``/openapi.json`` and ``/api``.

Every list takes ``limit`` (default 100, at most 1000) and ``offset`` and answers
``{"total": N, "items": [...], "next": "<url of the next page>" | null}``. A bad parameter (not a
number, out of range, not one of the allowed values, or not a parameter of the endpoint) answers
400 and an unknown id 404, both as ``{"error": {"code", "message"}}`` with a Chinese message.

``install(app)`` adds the routes and the handler that turns FastAPI's validation errors into that
shape (only for API and export paths; other pages keep their own).
"""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from ..errors import NianbaoError
from ..store import api_queries as Q
from ..store import coverage as store_coverage
from ..store.coverage import last_due_year
from .pages import render
from .params import AGENCY, REGION, ReportStatus, check_known

router = APIRouter()

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
API_PREFIXES = ("/api/", "/export/")


class NotFound(NianbaoError):
    code = "not_found"
    status = 404


# --------------------------------------------------------------------------- parameters

LIMIT = Query(DEFAULT_LIMIT, ge=0, le=MAX_LIMIT, description=f"每页条数，默认 {DEFAULT_LIMIT}，最多 {MAX_LIMIT}")
OFFSET = Query(0, ge=0, description="跳过的条数（从 0 开始）")
YEAR = Query(None, ge=1900, le=2100, description="报告年度（所报告的年份，不是发布年份），如 2022")


def _page(request: Request, total: int, items: list, limit: int, offset: int) -> JSONResponse:
    nxt = None
    if offset + limit < total and limit > 0:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    # the items are plain JSON values already: answered as they are (jsonable_encoder would walk
    # every value of a 1,000-item page again)
    return JSONResponse({"total": total, "items": items, "next": nxt})


def _message(err: dict) -> str:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path")]
    name = loc[0] if loc else "?"
    value = err.get("input")
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"参数 {name} 必须是整数（收到“{value}”）"
    if kind == "less_than_equal":
        return f"参数 {name} 不能大于 {ctx.get('le')}（收到 {value}）"
    if kind == "greater_than_equal":
        return f"参数 {name} 不能小于 {ctx.get('ge')}（收到 {value}）"
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ").replace(", ", " | ")
        return f"参数 {name} 的值“{value}”无效，可用：{allowed}"
    if kind == "string_too_long":
        return f"参数 {name} 太长（最多 {ctx.get('max_length')} 个字）"
    if kind == "missing":
        return f"缺少参数 {name}"
    return f"参数 {name} 的值“{value}”无效"


def install(app: FastAPI) -> None:
    """Add the API's routes, the bulk downloads, their validation-error shape and ``/openapi.json``
    to the app (before the pages' routers: ``/export/…`` is answered here)."""
    from .export_bulk import router as export_router

    app.include_router(router)
    app.include_router(export_router)
    if export_router not in DOCUMENTED:
        DOCUMENTED.append(export_router)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if not request.url.path.startswith(API_PREFIXES):
            return await request_validation_exception_handler(request, exc)
        errors = exc.errors()
        message = "；".join(_message(e) for e in errors) or "参数无效"
        return JSONResponse({"error": {"code": "bad_parameter", "message": message}}, status_code=400)


# --------------------------------------------------------------------------- endpoints

ReadingStatus = Literal["complete", "partial"]
Severity = Literal["error", "warning", "info"]
FindingState = Literal["open", "confirmed", "dismissed", "explained", "resolved"]


@router.get("/api/reports", summary="年报列表", tags=["年报"])
def api_reports(
    request: Request,
    year: Optional[int] = YEAR,
    agency: Optional[str] = AGENCY,
    region: Optional[str] = REGION,
    status: Optional[ReportStatus] = Query(None, description="核查结果：clean 无错误，errors 有错误，partial 部分读取（需人工核对），unreadable 无法读取"),
    reading: Optional[ReadingStatus] = Query(None, description="读取完整度：complete 完整，partial 部分未能读取"),
    q: Optional[str] = Query(None, max_length=100, description="在机关名称和标题中搜索的文字"),
    limit: int = LIMIT,
    offset: int = OFFSET,
):
    """年报：编号、机关、年度、格式版本、发布日期、核查结果、读取完整度、错误数和警告数。按年度从新到旧、机关名称排序。"""
    check_known(request, {"year", "agency", "region", "status", "reading", "q", "limit", "offset"})
    total, items = Q.reports_page(
        request.app.state.store, year=year, agency=agency, region=region, status=status, reading=reading, q=q,
        limit=limit, offset=offset,
    )
    return _page(request, total, items, limit, offset)


@router.get("/api/reports/{report_id}", summary="一份年报", tags=["年报"])
def api_report(request: Request, report_id: int = Path(description="报告编号（/api/reports 的 id）")):
    """一份年报的完整数据（规范第 2 节的对象）：元数据、六部分正文、三张表、每个单元格的原文出处、
    核查发现的问题（含编号 id 和处理状态 state）、读取完整度 reading。
    人工更正过的单元格在表中是更正后的值，更正前读取的值列在 corrections 中。"""
    check_known(request, set())
    obj = Q.report_object(request.app.state.store, report_id)
    if obj is None:
        raise NotFound(f"报告 {report_id} 不存在")
    return JSONResponse(jsonable_encoder(obj))


@router.get("/api/findings", summary="核查发现的问题", tags=["问题"])
def api_findings(
    request: Request,
    year: Optional[int] = YEAR,
    rule: Optional[str] = Query(None, max_length=80, description="规则编号，如 requests.balance（见“规则”页面或 nianbao rules）"),
    severity: Optional[Severity] = Query(None, description="级别：error 错误，warning 警告，info 提示"),
    state: Optional[FindingState] = Query(None, description="处理状态：open 待处理，confirmed 已确认，dismissed 已驳回，explained 已说明，resolved 已消除"),
    region: Optional[str] = REGION,
    agency: Optional[str] = AGENCY,
    limit: int = LIMIT,
    offset: int = OFFSET,
):
    """库中的问题（含跨年度比对发现的问题）：规则、级别、说明、涉及的单元格、应为与实为，
    以及所属报告的编号、机关、年度、原文件和处理状态。"""
    check_known(request, {"year", "rule", "severity", "state", "region", "agency", "limit", "offset"})
    total, items = Q.findings_page(
        request.app.state.store, year=year, rule=rule, severity=severity, state=state, region=region, agency=agency,
        limit=limit, offset=offset,
    )
    return _page(request, total, items, limit, offset)


@router.get("/api/agencies", summary="机关", tags=["机关"])
def api_agencies(
    request: Request,
    region: Optional[str] = REGION,
    kind: Optional[str] = Query(None, max_length=16, description="机关类别：政府、部门、乡镇/街道、开发区/园区"),
    limit: int = LIMIT,
    offset: int = OFFSET,
):
    """库中的机关：编号、名称、类别、所在地区（及行政区划代码）和库中的年报份数。按名称排序。"""
    check_known(request, {"region", "kind", "limit", "offset"})
    total, items = Q.agencies_page(request.app.state.store, region=region, kind=kind, limit=limit, offset=offset)
    return _page(request, total, items, limit, offset)


@router.get("/api/coverage", summary="年报发布情况", tags=["覆盖"])
def api_coverage(
    request: Request,
    year: Optional[int] = Query(None, ge=1900, le=2100, description="报告年度；默认为发布期限已过的最近一个年度"),
    region: Optional[str] = REGION,
):
    """某一年度哪些机关已发布年报、哪些没有（与 nianbao coverage --json 相同的对象）。
    不指定地区时，考虑库中的全部机关。"""
    check_known(request, {"year", "region"})
    year = year if year is not None else last_due_year()
    return JSONResponse(store_coverage(request.app.state.store, year, region=region))


# --------------------------------------------------------------------------- documentation

EXAMPLES = {
    "/api/reports": ("/api/reports?year=2022&region=温州市&status=errors&limit=2",
                     '{"total": 37, "items": [{"id": 12, "agency": "龙港市人民政府", "year": 2022, "template": "2021", '
                     '"published": "2023-01-20", "status": "errors", "reading": {"status": "complete"}, "errors": 2, '
                     '"warnings": 1}, …], "next": "http://…/api/reports?year=2022&region=温州市&status=errors&limit=2&offset=2"}'),
    "/api/reports/{report_id}": ("/api/reports/12",
                                 '{"id": 12, "schema_version": 1, "source": {…}, "meta": {…}, "sections": {…}, '
                                 '"tables": {…}, "provenance": {…}, "findings": [{"id": 301, "rule": "requests.balance", '
                                 '"severity": "error", "state": "open", …}], "reading": {"status": "complete", …}, '
                                 '"corrections": [{"cell": "tables.requests.new_received.total", "value": 12, "read": 21, '
                                 '"by": "张三", "at": "…", "note": "…"}]}'),
    "/api/findings": ("/api/findings?year=2022&severity=error&limit=1",
                      '{"total": 512, "items": [{"id": 301, "rule": "requests.balance", "severity": "error", '
                      '"message": "表三“总计”列：…", "cells": ["tables.requests.new_received.total", …], "expected": 166, '
                      '"actual": 167, "state": "open", "report_id": 12, "agency": "龙港市人民政府", "year": 2022, '
                      '"source": {"path": "…", "sha256": "…"}}], "next": "…offset=1"}'),
    "/api/agencies": ("/api/agencies?region=温州市&kind=政府",
                      '{"total": 12, "items": [{"id": 3, "name": "龙港市人民政府", "kind": "政府", '
                      '"region": "浙江省温州市龙港市", "region_code": "330383", "reports": 4}, …], "next": null}'),
    "/export/{what}.{fmt}": ("/export/reports.csv?year=2022",
                             "报告编号,机关,报告所写机关,机关类别,省,市,县,乡镇,年度,格式版本,发布日期,状态,错误数,警告数,文件,sha256,"
                             "表二“规章”本年制发件数,…,公开率,…"),
    "/api/coverage": ("/api/coverage?year=2022&region=温州市",
                      '{"year": 2022, "published": [{"agency": "龙港市人民政府", "report_id": 12, "status": "errors"}, …], '
                      '"missing": [{"agency": "洞头区人民政府"}, …]}'),
}

DESCRIPTION = (
    "只读接口，数据与网页相同（人工更正已生效）。列表接口均接受 limit（默认 100，最多 1000）和 offset，"
    "返回 {\"total\": 总数, \"items\": [...], \"next\": 下一页地址或 null}。"
    "参数错误返回 400，编号不存在返回 404，格式均为 {\"error\": {\"code\": …, \"message\": …}}。"
)


DOCUMENTED = [router]  # the routers whose API and export routes /openapi.json and /api describe


def openapi_schema(app: FastAPI) -> dict:
    if getattr(app.state, "api_openapi", None) is None:
        routes = [r for rt in DOCUMENTED for r in rt.routes if getattr(r, "path", "").startswith(API_PREFIXES)]
        app.state.api_openapi = get_openapi(title="nianbao 开放数据接口", version="1", description=DESCRIPTION, routes=routes)
    return app.state.api_openapi


@router.get("/openapi.json", include_in_schema=False)
def openapi_json(request: Request):
    return JSONResponse(openapi_schema(request.app))


@router.get("/api", include_in_schema=False)
def api_page(request: Request):
    spec = openapi_schema(request.app)
    endpoints = []
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        params = [
            {"name": p["name"], "where": p["in"], "required": p.get("required", False),
             "type": _type_label(p.get("schema", {})), "default": p.get("schema", {}).get("default"),
             "description": p.get("description", "")}
            for p in op.get("parameters", [])
        ]
        example = EXAMPLES.get(path)
        endpoints.append({"path": path, "summary": op.get("summary", ""), "description": op.get("description", ""),
                          "params": params, "example": example})
    years = Q.known_years(request.app.state.store)
    return render(request, "api.html", page="api", title="开放数据接口", endpoints=endpoints, description=DESCRIPTION,
                  years=sorted(years, reverse=True))


def _type_label(schema: dict) -> str:
    options = schema.get("anyOf") or [schema]
    for s in options:
        if s.get("enum"):
            return " | ".join(str(v) for v in s["enum"])
        t = s.get("type")
        if t and t != "null":
            return {"integer": "整数", "string": "文字"}.get(t, t)
    return ""
