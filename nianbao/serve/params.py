"""Query-string parameters shared by the JSON API, the bulk downloads and the lists: one error for
a bad value (``BadParameter``: 400, the app's Chinese page or the API's JSON error shape), the
agency and region filters, the report statuses, and the refusal of unknown parameters."""

from __future__ import annotations

from typing import Literal

from fastapi import Query, Request

from ..errors import NianbaoError
from ..store.queries import REPORT_STATUSES


class BadParameter(NianbaoError):
    code = "bad_parameter"
    status = 400


AGENCY = Query(None, max_length=100, description="机关名称中包含的文字，如“龙港”")
REGION = Query(None, max_length=100, description="地区：省、市、县或乡镇的名称，或行政区划代码，如“温州市”")
ReportStatus = Literal[REPORT_STATUSES]  # the store's statuses (clean, errors, partial, unreadable)


def check_known(request: Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise BadParameter(f"未知参数：{'、'.join(unknown)}（此接口可用：{'、'.join(sorted(allowed))}）")
