"""Reading the shared list filters from a query string, and the choices the filter bar offers."""

from __future__ import annotations

from fastapi import Request

from ...store import query as corpus
from ...store.query import Filters
from ..params import BadParameter


def filters_from(request: Request) -> Filters:
    """The filters of the query string; a value that cannot be one (``year=abc``, an unknown
    ``status``) is refused with 400, never quietly dropped. The list parameters (``sort``, ``dir``,
    ``page``, ``format``) are :func:`nianbao.serve.lists.list_params`'s."""
    q = request.query_params
    year = q.get("year", "").strip()
    if year and not (year.isdigit() and len(year) == 4):
        raise BadParameter(f"参数“year”应为四位数的年份，而不是“{year[:20]}”")
    if q.get("status", "").strip() and q.get("status", "").strip() not in corpus.STATUSES:
        raise BadParameter(f"参数“status”应为 {'、'.join(corpus.STATUSES)} 之一")
    return Filters(
        q=q.get("q", "").strip()[:100],
        province=q.get("province", "").strip(),
        city=q.get("city", "").strip(),
        county=q.get("county", "").strip(),
        year=int(year) if year.isdigit() else None,
        kind=q.get("kind", "").strip(),
        status=q.get("status", "").strip() if q.get("status", "") in corpus.STATUSES else "",
        rule=q.get("rule", "").strip()[:80],
        reading=q.get("reading", "") if q.get("reading", "") in corpus.READINGS else "",
        state=q.get("state", "") if q.get("state", "") in corpus.FINDING_STATES else "",
    )


def choices(store, f: Filters) -> dict:
    return {
        "regions": corpus.regions(store, f.province, f.city),
        "years": corpus.years(store),
        "kinds": corpus.kinds(store),
        "statuses": corpus.STATUSES,
        "readings": corpus.READINGS,
        "states": corpus.FINDING_STATES,
    }
