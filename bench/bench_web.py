"""Web and API benchmark: the median time of each JSON API endpoint, page and list download of
``nianbao serve`` over a generated corpus, through the ASGI app in-process (no network).

    python bench/bench_web.py [N_REPORTS] [--db PATH] [--repeat 5] [--base 2000]

Unless ``--db`` names an existing corpus, N_REPORTS (default 10000) reports are made: ``--base``
generated reports (``nianbao.synth.corpus``: agencies × 5 years, some with injected errors, checked)
are written by the store's batch writer, then the corpus is copied in SQL (agencies, originals,
reports, cell packs, findings, reviews, source lines, each copy under new ids and agency names) until it
holds N_REPORTS: the writer is too slow to write 10^5 reports on a small machine, and the pages
only read. In a fresh app with an empty cache and no warming thread, each URL is fetched once
("first": a cold answer, though URLs earlier in the list may have filled answers it shares), then
``--repeat`` times (answers kept until the corpus changes, ``store/cache.py``); prints one JSON
object: milliseconds (first, median, max) per URL, the seconds the warming thread takes after a
write to have the first pages ready again, the corpus size and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402

from nianbao import synth  # noqa: E402
from nianbao.serve.app import create_app  # noqa: E402
from nianbao.store import count_reports, open_store  # noqa: E402

YEARS = [2019, 2020, 2021, 2022, 2023]


def build(db: str, n: int, base: int = 2000) -> None:
    """Write ``min(n, base)`` generated reports, then copy them in SQL up to ``n`` reports."""
    from nianbao.pipeline import _checks
    from nianbao.store.ingest import write_reports

    store = open_store(db)
    agencies = max(1, min(n, base) // len(YEARS))
    t0 = time.perf_counter()
    checks = _checks()

    def reports():
        for start in range(0, agencies, 10):  # every 10 agencies: one of each injected error
            c = synth.corpus(min(10, agencies - start), YEARS, seed=2000 + start,
                             inject=("identity", "cross_year", "jump", "copy"))
            for r in c:
                r.findings = checks.report(r)
                yield r

    done = 0
    for _ in write_reports(store, reports(), checks):
        done += 1
        if done % 500 == 0:
            print(f"{done} reports written, {done / (time.perf_counter() - t0):.0f}/s", file=sys.stderr, flush=True)
    store.close()
    copy_corpus(db, n)
    print(f"corpus of {n} reports in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)


def copy_corpus(db: str, n: int) -> None:
    """Copy the reports of the corpus (and what hangs on them) under new ids until there are ``n``."""
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys=OFF")
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    have, rmax, amax = one("select count(*) from reports"), one("select max(id) from reports"), one("select max(id) from agencies")
    cells_rows = one("select count(*) from sqlite_master where type = 'table' and name = 'cells'")
    k = 0
    while have < n:
        k += 1
        take = min(have if k == 1 else one("select count(*) from reports where id <= %d" % rmax), n - have)
        ro, ao = k * rmax, k * amax
        ids = f"(select id from reports where id <= {rmax} order by id limit {take})"
        t = time.perf_counter()
        with con:
            con.execute(f"""insert into agencies (id, key, name, kind, placement, region_code, province, city, county,
                township, candidates) select id + {ao}, key || '#{k}', replace(name, '人民政府', '') || '{k}'
                || case when name like '%人民政府' then '人民政府' else '' end, kind, placement, region_code,
                province, city, county, township, candidates from agencies where id <= {amax}""")
            con.execute(f"""insert into originals (sha256, size, compression, data) select
                substr(o.sha256, 1, 56) || printf('%08d', {k}), o.size, o.compression, o.data
                from originals o join reports r on r.sha256 = o.sha256 where r.id in {ids}""")
            con.execute(f"""insert into sources (sha256, path, first_seen) select substr(s.sha256, 1, 56) ||
                printf('%08d', {k}), s.path || '#{k}', s.first_seen from sources s join reports r on r.sha256 = s.sha256
                where r.id in {ids}""")
            cols = [c[1] for c in con.execute("pragma table_info(reports)")]
            shifted = {"id": f"id + {ro}", "agency_id": f"agency_id + {ao}",
                       "sha256": f"substr(sha256, 1, 56) || printf('%08d', {k})", "path": f"path || '#{k}'"}
            con.execute(f"insert into reports ({', '.join(cols)}) select {', '.join(shifted.get(c, c) for c in cols)} "
                        f"from reports where id in {ids}")
            if cells_rows:  # the cells table of stage 1 of the packs (store/cellpack.py)
                con.execute(f"""insert into cells (report_id, path, value, read_value, raw, line, page) select
                    report_id + {ro}, path, value, read_value, raw, line, page from cells where report_id in {ids}""")
            con.execute(f"""insert into cell_packs (report_id, n, codes, vals, read_vals, raws, lines, pages) select
                report_id + {ro}, n, codes, vals, read_vals, raws, lines, pages from cell_packs where report_id in {ids}""")
            con.execute(f"""insert into findings (report_id, origin, rule, severity, message, cells, expected, actual,
                other_report_id, extra, key) select report_id + {ro}, origin, rule, severity, message, cells,
                expected, actual, other_report_id + {ro}, extra,
                (report_id + {ro}) || substr(key, instr(key, '-')) from findings where report_id in {ids}""")
            con.execute(f"""insert into finding_reviews (key, report_id, rule, state, active, snapshot, review_by,
                review_at, review_note, first_seen, changed_at) select (report_id + {ro}) || substr(key, instr(key, '-')),
                report_id + {ro}, rule, state, active, snapshot, review_by, review_at, review_note, first_seen,
                changed_at from finding_reviews where report_id in {ids}""")
            con.execute(f"""insert into source_lines (report_id, format, pages, data) select report_id + {ro},
                format, pages, data from source_lines where report_id in {ids}""")
        have += take
        print(f"copy {k}: {have} reports ({time.perf_counter() - t:.1f} s)", file=sys.stderr, flush=True)
    con.execute("analyze")
    con.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=10_000)
    ap.add_argument("--db", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--base", type=int, default=2000, help="reports written by the writer before copying")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()
    db = args.db
    if db is None or not os.path.exists(db):
        db = db or str(Path(tempfile.mkdtemp(prefix="nianbao-bench-web-")) / "web.db")
        build(db, args.n, args.base)
    if args.build_only:
        print(db)
        return 0
    os.environ["NIANBAO_WARM"] = "0"  # no warming thread: "first" is a cold answer
    with open_store(db) as s, s.engine.connect() as conn:
        n_reports = count_reports(s)
        first = conn.exec_driver_sql("SELECT min(id) FROM reports").scalar()
    client = TestClient(create_app(db))
    urls = [
        "/", "/reports", "/reports?sort=agency", "/reports?sort=errors&dir=desc", "/reports?year=2022&sort=published",
        "/reports?page=500", "/reports?q=人民政府", "/reports?format=json", "/findings", "/findings?sort=agency&dir=desc",
        "/findings?severity=error&year=2022", "/findings?page=2000", "/coverage", "/coverage?year=2022&sort=name&page=3",
        "/rankings", "/rankings?year=2022&level=agency", "/rankings?level=city&sort=denominator&dir=desc",
        f"/reports/{first}", "/compare", "/api/reports", "/api/reports?year=2022&limit=1000",
        "/api/reports?region=浙江省&status=errors", "/api/reports?offset=5000", f"/api/reports/{first}",
        "/api/findings?severity=error", "/api/findings?year=2022&offset=2000", "/api/agencies",
        "/api/agencies?region=浙江省", "/api/coverage?year=2022", "/openapi.json", "/api",
    ]
    out: dict = {"reports": n_reports, "repeat": args.repeat, "load_before": os.getloadavg(), "ms": {}}
    for url in urls:
        t = time.perf_counter()
        r = client.get(url)
        cold = 1000 * (time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = client.get(url)
            _ = r.content
            times.append(1000 * (time.perf_counter() - t))
        out["ms"][url] = {"first": round(cold, 1), "median": round(statistics.median(times), 1),
                          "max": round(max(times), 1), "bytes": len(r.content)}
        print(url, out["ms"][url], file=sys.stderr, flush=True)
    # how long the warming thread takes, after a write, to have the first pages ready again
    from nianbao.serve.warm import warm
    from nianbao.store.cache import _state

    with open_store(db) as s:
        t = time.perf_counter()
        warm(s)
        out["warm_after_write_s"] = round(time.perf_counter() - t, 1)
        _state(s).entries.clear()
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
