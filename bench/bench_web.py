"""Web and API benchmark: the median time of each JSON API endpoint, page and bulk download of
``nianbao serve`` over a generated corpus, through the ASGI app in-process (no network).

    python bench/bench_web.py [N_REPORTS] [--db PATH] [--repeat 5]

N_REPORTS (default 10000) generated reports (``nianbao.synth.corpus``: N/5 agencies × 5 years) are
stored with ``add_report`` unless ``--db`` names an existing corpus (then nothing is added). Each URL
is fetched once to warm up, then ``--repeat`` times; prints one JSON object: milliseconds (median,
max) per URL, and the corpus size.
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
from nianbao.pipeline import add_report  # noqa: E402
from nianbao.store import count_reports, open_store  # noqa: E402

YEARS = [2019, 2020, 2021, 2022, 2023]


def build(db: str, n: int) -> None:
    store = open_store(db)
    agencies = max(1, n // len(YEARS))
    t0 = time.perf_counter()
    done = 0
    for start in range(0, agencies, 1000):
        for r in synth.corpus(min(1000, agencies - start), YEARS, seed=2000 + start):
            add_report(store, r)
            done += 1
        print(f"{done} reports, {done / (time.perf_counter() - t0):.0f}/s", file=sys.stderr, flush=True)
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=10_000)
    ap.add_argument("--db", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    db = args.db
    if db is None or not os.path.exists(db):
        db = db or str(Path(tempfile.mkdtemp(prefix="nianbao-bench-web-")) / "web.db")
        build(db, args.n)
    with open_store(db) as s:
        n_reports = count_reports(s)
    client = TestClient(create_app(db))
    first = client.get("/api/reports", params={"limit": 1}).json()["items"][0]["id"]
    urls = [
        "/api/reports", "/api/reports?year=2022&limit=1000", "/api/reports?region=浙江省&status=errors",
        "/api/reports?offset=5000", f"/api/reports/{first}", "/api/findings?severity=error",
        "/api/findings?year=2022&offset=2000", "/api/agencies", "/api/agencies?region=浙江省",
        "/api/coverage?year=2022", "/openapi.json", "/api",
        "/coverage?year=2022", "/coverage?year=2022&sort=name&page=3", "/rankings?year=2022&level=province",
        "/rankings?year=2022&level=agency", "/reports", "/",
        "/export/reports.csv?year=2022", "/export/findings.csv?year=2022",
    ]
    out: dict = {"reports": n_reports, "repeat": args.repeat, "load": os.getloadavg()[0], "ms": {}}
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = client.get(url)
            _ = r.content
            times.append(1000 * (time.perf_counter() - t))
        out["ms"][url] = {"median": round(statistics.median(times), 1), "max": round(max(times), 1),
                          "bytes": len(r.content)}
        print(url, out["ms"][url], file=sys.stderr, flush=True)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
