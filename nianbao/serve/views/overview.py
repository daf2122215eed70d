"""总览: counts by year and region, findings by rule and severity, and the charts."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request

from ...store import query as corpus
from ..charts import overview_charts
from ..pages import render
from ..warm import ensure
from ..params import takes
from .filters import FILTERS, choices, filters_from

router = APIRouter()


@takes(*FILTERS)
@router.get("/")
def overview(request: Request):
    store = request.app.state.store
    ensure(request.app)  # the overview of the whole corpus is computed ahead after each change
    f = filters_from(request)
    o = corpus.overview(store, f)
    charts = [(cid, json.dumps(opt, ensure_ascii=False)) for cid, opt in overview_charts(o)]
    region_label = "县（区）" if f.city else ("市" if f.province else "省")
    return render(request, "overview.html", page="overview", f=f, o=o, charts=charts, choices=choices(store, f), region_label=region_label)
