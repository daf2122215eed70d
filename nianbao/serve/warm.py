"""Keeping the pages' answers ready. After the corpus changes (an ingest, a correction, a review),
a background thread of the web app computes the answers of the pages as they first open (总览,
年报列表, 问题, 覆盖, 排名 and the API's first pages) into the store's cache
(:mod:`nianbao.store.cache`), so that the first reviewer to open one does not wait for the whole
corpus to be read. It looks at the store's change token every few seconds and stops with the app.
``NIANBAO_WARM=0`` turns it off.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref

from ..store.cache import change_token

log = logging.getLogger("nianbao.serve")
INTERVAL = 3.0  # seconds between looks at the change token


def ensure(app) -> None:
    """Start the app's warming thread once (on the first page asked for)."""
    if os.environ.get("NIANBAO_WARM", "1") == "0" or getattr(app.state, "warmer", None) is not None:
        return
    thread = threading.Thread(target=_run, args=(weakref.ref(app),), daemon=True, name="nianbao-warm")
    app.state.warmer = thread
    thread.start()


def _run(ref) -> None:
    seen = None
    while True:
        app = ref()
        if app is None:
            return
        store = app.state.store
        del app
        token = change_token(store)
        if token is not None and token != seen:
            try:
                warm(store)
                seen = token
            except Exception:  # a failed warm-up only means the page computes its answer itself
                log.exception("warming the page cache failed")
                seen = token
        del store
        time.sleep(INTERVAL)


def warm(store) -> None:
    """Compute what the pages ask first, with the very arguments the views pass."""
    from .. import rates as R
    from ..store import query as corpus
    from ..store import roster as RO
    from ..store.queries import count_reports, list_reports
    from ..store.rankings import unit_rates
    from ..store.review import finding_page
    from ..store.coverage import default_year, last_due_year

    f = corpus.Filters()
    where = f.where()
    count_reports(store, where=where)
    list_reports(store, where=where, sort="place", descending=False, limit=100, offset=0)
    corpus.regions(store, "", "")
    years = corpus.years(store)
    corpus.kinds(store)
    finding_page(store, where, sort="severity", limit=100, offset=0)
    year = default_year(store) or last_due_year()
    RO.roster_coverage(store, year, sort="state", limit=100, offset=0)
    if years:
        unit_rates(store, R.RANKED[0], year=years[0], level="province", region=None, min_n=R.default_min_n())
    count_reports(store)
    list_reports(store, sort="year", descending=True, limit=100, offset=0)
    finding_page(store, [], sort="report", limit=100, offset=0)
    corpus.overview(store, f)
