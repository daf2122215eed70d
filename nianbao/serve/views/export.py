"""导出: the reports, cells or findings of the current list (same filters as 年报列表) as Excel or
CSV, in the shapes and columns of ``nianbao export`` (spec §10), written by the store's exporter
(numbers stay numbers, formula-like text is neutralised)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from ...store.export import export_bytes
from .filters import filters_from

router = APIRouter()

SHAPES = {"reports": "wide", "cells": "long", "findings": "findings"}
NAMES = {"reports": "年报列表", "cells": "单元格", "findings": "问题清单"}
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/export/{what}.{ext}")
def export(request: Request, what: str, ext: str):
    if what not in SHAPES or ext not in MEDIA:
        raise HTTPException(404, "可导出：reports、cells 或 findings，格式 csv 或 xlsx")
    shape = SHAPES[what]
    if what == "reports" and request.query_params.get("shape") == "long":
        shape = "long"
    body = export_bytes(request.app.state.store, shape, ext, chinese_headers=True, scope=filters_from(request))
    name = NAMES[what]
    disposition = f"attachment; filename={what}.{ext}; filename*=UTF-8''{quote(name)}.{ext}"
    return Response(body, media_type=MEDIA[ext], headers={"Content-Disposition": disposition})
