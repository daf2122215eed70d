"""排名: a rate (公开率, 复议纠错率, 诉讼纠错率) by province, city, county or agency for a year, each
with its numerator, denominator and 95 % Wilson interval; units whose denominator is below the
minimum n (default 10, ``$NIANBAO_MIN_N`` or ``?min_n=``) are listed apart and not ranked.
``?format=json`` gives the same table as JSON.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ... import rates as R
from ...metrics import METRIC_BY_KEY
from ...store import api_queries as Q
from ...store.rankings import LEVELS, unit_rates
from ..pages import render

router = APIRouter()


def _int(text: str | None, default: int | None, low: int = 0, high: int = 10**9) -> int | None:
    text = (text or "").strip()
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    return default


@router.get("/rankings")
def rankings(request: Request):
    store = request.app.state.store
    qp = request.query_params
    metric = qp.get("metric") if qp.get("metric") in R.RANKED else R.RANKED[0]
    level = qp.get("level") if qp.get("level") in LEVELS else "province"
    years = sorted(Q.known_years(store), reverse=True)
    year = _int(qp.get("year"), years[0] if years else None, 1900, 2100)
    region = (qp.get("region") or "").strip()[:100] or None
    min_n = _int(qp.get("min_n"), R.default_min_n(), 1, 10**6)
    all_rates = unit_rates(store, metric, year=year, level=level, region=region, min_n=min_n) if year else []
    shown, hidden = R.rank(all_rates)
    m = METRIC_BY_KEY[metric]
    if qp.get("format") == "json":
        return JSONResponse({
            "metric": metric, "label": m.label, "definition": m.denominator_label, "year": year, "level": level,
            "region": region, "min_n": min_n, "items": [x.to_json() for x in shown], "below_min_n": [x.to_json() for x in hidden],
        })
    total_k = sum(x.k for x in all_rates)
    total_n = sum(x.n for x in all_rates)
    overall = R.Rate(unit="合计", k=total_k, n=total_n, reports=sum(x.reports for x in all_rates), min_n=min_n)
    return render(
        request, "rankings.html", page="rankings", metric=metric, metrics=[METRIC_BY_KEY[k] for k in R.RANKED],
        m=m, level=level, levels=LEVELS, year=year, years=years, region=region or "", min_n=min_n,
        shown=shown, hidden=hidden, overall=overall, percent=R.percent,
    )
