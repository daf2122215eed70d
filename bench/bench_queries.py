"""The corpus questions that read many reports' cells, uncached, on an existing database:
the overview's charts (``query._overview``), the rankings (``rankings._unit_rates``), one agency's
trend and one report's page data.

    python bench/bench_queries.py DB [--repeat 3]

``DB`` is any store, e.g. the one ``bench/bench_ingest.py --n 0 --write 10000 --keep DB`` makes.
Each question is answered ``--repeat`` times in this process (the first run includes reading the
database file into the page cache); prints one JSON object: per question the CPU and wall seconds
of each run, the number of reports and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from nianbao.store import get_report, open_store  # noqa: E402
from nianbao.store import schema as S  # noqa: E402
from nianbao.store.query import Filters, _overview  # noqa: E402
from nianbao.store.rankings import _unit_rates  # noqa: E402
from nianbao.store.trend import agency_trend  # noqa: E402


def timed(fn, repeat: int) -> dict:
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(round(time.process_time() - c, 3))
        wall.append(round(time.perf_counter() - w, 3))
    return {"cpu_s": cpu, "wall_s": wall}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    out: dict = {"load_before": os.getloadavg()[0]}
    with open_store(args.db) as s:
        r = S.reports
        with s.engine.connect() as conn:
            out["reports"] = conn.execute(select(func.count()).select_from(r)).scalar_one()
            year = conn.execute(select(func.max(r.c.year))).scalar()
            agency, report = conn.execute(
                select(r.c.agency_id, func.max(r.c.id)).where(r.c.agency_id.is_not(None))
                .group_by(r.c.agency_id).order_by(func.count().desc()).limit(1)
            ).first()
        rank = dict(year=year, region=None, min_n=10)
        questions = {
            "overview": lambda: _overview(s, Filters()),
            f"overview_{year}": lambda: _overview(s, Filters(year=year)),
            f"rankings_province_{year}": lambda: _unit_rates(s, "disclosure_rate", level="province", **rank),
            f"rankings_agency_{year}": lambda: _unit_rates(s, "litigation_correction_rate", level="agency", **rank),
            "rankings_province_all_years": lambda: _unit_rates(s, "disclosure_rate", level="province", year=None,
                                                               region=None, min_n=10),
            "trend": lambda: agency_trend(s, agency),
            "report": lambda: get_report(s, report),
        }
        out["questions"] = {name: timed(fn, args.repeat) for name, fn in questions.items()}
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
