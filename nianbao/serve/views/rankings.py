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
from ..lists import LIST, Column, json_page, list_context, list_params, table_file
from ..pages import render
from ..params import BadParameter, integer, takes, year as year_param

router = APIRouter()
MAX_MIN_N = 10**6


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


def _choice(qp, name: str, allowed, default: str) -> str:
    value = (qp.get(name) or "").strip()
    if value and value not in allowed:
        raise BadParameter(f"参数“{name}”应为 {'、'.join(allowed)} 之一，而不是“{value[:20]}”")
    return value or default


@takes("metric", "level", "year", "region", "min_n", *LIST)
@router.get("/rankings")
def rankings(request: Request):
    """A bad ``metric``, ``level``, ``year`` or ``min_n`` is refused (400); an empty one (the
    number field cleared) takes the default."""
    store = request.app.state.store
    qp = request.query_params
    params = list_params(request, COLUMNS, "rank")
    metric = _choice(qp, "metric", R.RANKED, R.RANKED[0])
    level = _choice(qp, "level", tuple(LEVELS), "province")
    min_n = integer(qp.get("min_n"), "min_n", 1, MAX_MIN_N, default=None, what=f"1–{MAX_MIN_N} 之间的整数（最小分母）")
    min_n = R.default_min_n() if min_n is None else min_n
    years = sorted(Q.known_years(store), reverse=True)
    year = year_param(qp.get("year"), default=years[0] if years else None)
    region = (qp.get("region") or "").strip()[:100] or None
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
