"""Bulk downloads (spec §10): ``/export/{reports|findings|cells}.{csv|xlsx|parquet}?year=&shape=wide|long``.

The same columns as ``nianbao export`` (``reports``: one row per report, every cell a column, plus
the metrics; ``cells``: one row per cell; ``findings``: one row per finding), corrections applied.
CSV is streamed as it is read (the wide and long shapes a range of reports at a time, made from
columns: :data:`nianbao.store.export.COLUMNAR`; findings row by row); Excel and Parquet are written
to a temporary file with bounded memory and streamed from it. Text cells a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import os
import tempfile
from typing import Literal, Optional
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from ..store import bulk
from ..store.export import COLUMNAR, _write_binary, download
from .downloads import csv_chunks, file_chunks
from .params import AGENCY, REGION, BadParameter, ReportStatus, check_known
from .views.filters import filters_from

router = APIRouter()

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
DEFAULT_SHAPE = {"reports": "wide", "cells": "long", "findings": "findings"}
NAMES = {"wide": "年报数据", "long": "单元格", "findings": "问题清单"}
LIST_PARAMS = {"q", "province", "city", "county", "rule", "page"}  # the filters of 年报列表 (views/filters.py)
PARAMS = {"year", "shape", "headers", "agency", "region", "kind", "status"} | LIST_PARAMS


def _shape(what: str, shape: Optional[str]) -> str:
    if what == "findings" or shape is None:
        return DEFAULT_SHAPE[what]
    return shape


@router.get("/export/{what}.{fmt}", summary="批量下载", tags=["下载"])
async def bulk_export(
    request: Request,
    what: Literal["reports", "findings", "cells"],
    fmt: Literal["csv", "xlsx", "parquet"],
    year: Optional[int] = Query(None, ge=1900, le=2100, description="报告年度，如 2022；不填为全部年度"),
    shape: Optional[Literal["wide", "long"]] = Query(
        None, description="wide：每份报告一行、每个单元格一列（reports 的默认）；long：每个单元格一行（cells 的默认）；findings 不用此参数"),
    headers: Literal["zh", "keys"] = Query("zh", description="列名：zh 为中文（与 nianbao export --chinese-headers 相同），keys 为英文键名（与 nianbao export 相同）"),
    agency: Optional[str] = AGENCY,
    region: Optional[str] = REGION,
    kind: Optional[str] = Query(None, max_length=16, description="机关类别：政府、部门、乡镇/街道、开发区/园区（findings 不用此参数）"),
    status: Optional[ReportStatus] = Query(None, description="核查结果：clean、errors、partial、unreadable（findings 不用此参数）"),
):
    """整库或某一年度的数据文件，列与 nianbao export 相同，人工更正已生效。
    reports：每份报告一行（含各项比率）；cells：每个单元格一行（含原文、行号、页码）；findings：每个问题一行。
    CSV 边读边传；Excel 和 Parquet 先写入临时文件再传送。Excel 一张表最多 1048575 行，超出时请用 CSV 或 Parquet。
    也接受年报列表页的筛选条件 q、province、city、county、rule（只含可读报告），用于下载列表所示的报告。"""
    check_known(request, PARAMS)
    the_shape = _shape(what, shape)
    filters = {"year": year, "agency": agency}
    if the_shape != "findings":
        filters.update(region=region, kind=kind or None, status=status)
    # the list page's links carry its own filters (q, province, city, county, rule …): exactly its reports
    scope = filters_from(request) if LIST_PARAMS & set(request.query_params) else None
    store = request.app.state.store
    if fmt == "xlsx":
        n = await run_in_threadpool(bulk.count, store, the_shape, scope=scope, **filters)
        if n > bulk.EXCEL_MAX_ROWS:
            raise BadParameter(f"共 {n} 行，超过 Excel 一张表的上限（{bulk.EXCEL_MAX_ROWS} 行）；请用 CSV 或 Parquet，或按年度、地区分批下载")
    chinese = headers == "zh"
    name = f"{NAMES[the_shape]}{'-' + str(year) if year else ''}.{fmt}"
    ascii_name = f"{what}{'-' + str(year) if year else ''}.{fmt}"
    disposition = {"Content-Disposition": f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(name)}"}
    if (the_shape, fmt) in COLUMNAR and fmt == "csv":  # a range of reports at a time, made from columns
        chunks = download(store, the_shape, "csv", chinese, scope=scope, **filters)
        return StreamingResponse(iterate_in_threadpool(chunks), media_type=MEDIA[fmt], headers=disposition)
    if fmt == "csv":
        header, rows = bulk.rows(store, the_shape, chinese, scope=scope, **filters)
        return StreamingResponse(iterate_in_threadpool(csv_chunks(header, rows)), media_type=MEDIA[fmt], headers=disposition)

    fd, path = tempfile.mkstemp(suffix="." + fmt, prefix="nianbao-export-")
    os.close(fd)

    def write() -> None:
        if (the_shape, fmt) in COLUMNAR:
            download(store, the_shape, fmt, chinese, scope=scope, target=path, **filters)
            return
        header, rows = bulk.rows(store, the_shape, chinese, scope=scope, **filters)
        _write_binary(path, fmt, the_shape, header, rows)

    try:
        await run_in_threadpool(write)
    except BaseException:
        os.unlink(path)
        raise
    return StreamingResponse(
        iterate_in_threadpool(file_chunks(path)), media_type=MEDIA[fmt], headers=disposition,
        background=BackgroundTask(os.unlink, path),
    )

