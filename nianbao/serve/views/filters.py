"""Reading the shared list filters from a query string, and the choices the filter bar offers."""

from __future__ import annotations

from fastapi import Request

from ...store import query as corpus
from ...store.query import Filters
from ..params import BadParameter, year as year_param

# the parameters of the filter bar (``_filters.html``); a page that reads them declares them with
# ``@takes(*FILTERS)`` so that any other parameter is refused (params.known_page_params)
FILTERS = ("q", "province", "city", "county", "year", "kind", "status", "reading", "state", "rule")


def _choice(q, name: str, allowed) -> str:
    value = q.get(name, "").strip()
    if value and value not in allowed:
        raise BadParameter(f"参数“{name}”应为 {'、'.join(allowed)} 之一，而不是“{value[:20]}”")
    return value


def filters_from(request: Request, states=corpus.FINDING_STATES) -> Filters:
    """The filters of the query string; a value that cannot be one (``year=abc``, ``year=3000``, an
    unknown ``status``, ``reading`` or ``state``) is refused with 400, never quietly dropped; an
    empty one (a select left at 全部) is no filter. ``states``: the values ``state`` may take on
    the page (覆盖 has its own). The list parameters (``sort``, ``dir``, ``page``, ``format``) are
    :func:`nianbao.serve.lists.list_params`'s."""
    q = request.query_params
    year = year_param(q.get("year"))
    _choice(q, "status", corpus.STATUSES)
    _choice(q, "reading", corpus.READINGS)
    _choice(q, "state", states)
    return Filters(
        q=q.get("q", "").strip()[:100],
        province=q.get("province", "").strip(),
        city=q.get("city", "").strip(),
        county=q.get("county", "").strip(),
        year=year,
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
