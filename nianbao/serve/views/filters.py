"""Reading the shared list filters from a query string, and the choices the filter bar offers."""

from __future__ import annotations

from fastapi import Request

from ...store import query as corpus
from ...store.query import Filters


def filters_from(request: Request) -> Filters:
    q = request.query_params
    year = q.get("year", "").strip()
    page = q.get("page", "1").strip()
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
        page=int(page) if page.isdigit() and int(page) > 0 else 1,
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
