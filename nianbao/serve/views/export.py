"""导出: the current list, or its findings, as Excel or CSV (same filters as 年报列表)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from ...store import query as corpus
from ... import template as T
from ...store.export import table_bytes
from ...template import SEVERITY_LABEL
from .filters import filters_from

router = APIRouter()

REPORT_COLUMNS = ("编号", "机关", "省", "市", "县（区）", "机关类型", "年度", "模板", "状态",
                  *(SEVERITY_LABEL[s] for s in T.SEVERITIES), "发布日期", "文件")
FINDING_COLUMNS = ("报告编号", "机关", "年度", "级别", "规则", "问题", "涉及单元格", "应为", "实为", "文件")


def report_table(store, f) -> list[list]:
    rows, _ = corpus.list_reports(store, f, limit=None)
    return [
        [r.id, r.agency, r.province, r.city, r.county, r.kind, r.year, r.template, corpus.STATUSES.get(r.status, r.status),
         r.n_errors, r.n_warnings, r.n_infos, r.published, r.path]
        for r in rows
    ]


def finding_table(store, f) -> list[list]:
    return [
        [d["report_id"], d["agency"], d["year"], SEVERITY_LABEL.get(d["severity"], d["severity"]), d["rule"], d["message"],
         "；".join(T.cell_label(p) for p in d["cells"]), d["expected"], d["actual"], d["path"]]
        for d in corpus.findings_of(store, f)
    ]


@router.get("/export/{what}.{ext}")
def export(request: Request, what: str, ext: str):
    if what not in ("reports", "findings") or ext not in ("csv", "xlsx"):
        raise HTTPException(404, "可导出：reports 或 findings，格式 csv 或 xlsx")
    store = request.app.state.store
    f = filters_from(request)
    header, rows = (REPORT_COLUMNS, report_table(store, f)) if what == "reports" else (FINDING_COLUMNS, finding_table(store, f))
    name = {"reports": "年报列表", "findings": "问题清单"}[what]
    wide = {i for i, h in enumerate(header) if h in ("问题", "文件", "涉及单元格")}
    body = table_bytes(ext, name, list(header), rows, wide=wide)
    media = "text/csv; charset=utf-8" if ext == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = f"{what}.{ext}"
    from urllib.parse import quote

    disposition = f"attachment; filename={filename}; filename*=UTF-8''{quote(name)}.{ext}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})

