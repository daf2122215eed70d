"""排名: a rate (公开率, 复议纠错率, 诉讼纠错率) by province, city, county or agency for a year, each
with its numerator, denominator and 95 % Wilson interval; units whose denominator is below the
minimum n (default 10, ``$NIANBAO_MIN_N`` or ``?min_n=``) are listed apart and not ranked.
``?format=json`` gives the same table as JSON.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from ... import rates as R
from ...metrics import METRIC_BY_KEY
from ...store import api_queries as Q
from ...store.cache import cached
from ...store.rankings import LEVELS, unit_rates
from ..lists import Column, json_page, list_context, list_params, table_file
from ..pages import render

router = APIRouter()


def _int(text: str | None, default: int | None, low: int = 0, high: int = 10**9) -> int | None:
    text = (text or "").strip()
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    return default


COLUMNS = (
    Column("rank", "名次", numeric=True), Column("unit", "单位"), Column("rate", "比率", first_desc=True, numeric=True),
    Column("interval", "95% 置信区间", sortable=False), Column("numerator", "分子", first_desc=True, numeric=True),
    Column("denominator", "分母", first_desc=True, numeric=True), Column("reports", "报告数", first_desc=True, numeric=True),
)
FILE_COLUMNS = (COLUMNS[0], COLUMNS[1], COLUMNS[2], Column("low", "区间下限"), Column("high", "区间上限"), *COLUMNS[4:])
SORT_KEYS = {
    "rank": lambda it: it["rank"], "unit": lambda it: it["unit"], "rate": lambda it: it["rate"],
    "numerator": lambda it: it["numerator"], "denominator": lambda it: it["denominator"],
    "reports": lambda it: it["reports"],
}


@router.get("/rankings")
def rankings(request: Request):
    store = request.app.state.store
    qp = request.query_params
    params = list_params(request, COLUMNS, "rank")
    metric = qp.get("metric") if qp.get("metric") in R.RANKED else R.RANKED[0]
    level = qp.get("level") if qp.get("level") in LEVELS else "province"
    years = sorted(Q.known_years(store), reverse=True)
    year = _int(qp.get("year"), years[0] if years else None, 1900, 2100)
    region = (qp.get("region") or "").strip()[:100] or None
    min_n = _int(qp.get("min_n"), R.default_min_n(), 1, 10**6)
    all_rates = unit_rates(store, metric, year=year, level=level, region=region, min_n=min_n) if year else []

    def ranked():
        shown, hidden = R.rank(all_rates)
        return [{"rank": i, **x.to_json()} for i, x in enumerate(shown, 1)], hidden

    ranked_items, hidden = cached(store, "ranked", (metric, year, level, region, min_n), ranked)
    items = list(ranked_items)
    items.sort(key=SORT_KEYS[params.sort], reverse=params.desc)  # stable: ties keep the rank order
    total = len(items)
    page = items if params.everything else items[params.offset: params.offset + params.per_page]
    m = METRIC_BY_KEY[metric]
    if params.format == "json":
        return json_page(request, params, total, page, metric=metric, label=m.label, definition=m.denominator_label,
                         year=year, level=level, region=region, min_n=min_n,
                         below_min_n=[x.to_json() for x in hidden])
    if params.everything:
        return table_file(params, FILE_COLUMNS, page, f"{m.label}排名-{year}", f"rankings-{year}")
    total_k = sum(x.k for x in all_rates)
    total_n = sum(x.n for x in all_rates)
    overall = R.Rate(unit="合计", k=total_k, n=total_n, reports=sum(x.reports for x in all_rates), min_n=min_n)
    return render(
        request, "rankings.html", page="rankings", metric=metric, metrics=[METRIC_BY_KEY[k] for k in R.RANKED],
        m=m, level=level, levels=LEVELS, year=year, years=years, region=region or "", min_n=min_n,
        rows=page, hidden=hidden, overall=overall, percent=R.percent, columns=COLUMNS,
        **list_context(request, params, total),
    )
