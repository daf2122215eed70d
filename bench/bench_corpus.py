"""Corpus benchmark: ingest throughput, a coverage query and full exports on a generated corpus.

    python bench/bench_corpus.py [N_REPORTS] [--db URL] [--parse N_FILES]

N_REPORTS (default 100000) generated reports (``nianbao.synth.corpus``: N/5 agencies × 5 years)
are stored as Report objects with ``add_report`` — the same write path as ``nianbao ingest``
(report, ~240 cells, findings, cross-year pair check, copied-text bands), without text parsing,
which at this scale would measure the extractor rather than the store. ``--parse N`` also times
the full pipeline (read → extract → check → write) on N files made from the seed reports.
Prints one JSON object of figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import shutil
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nianbao import synth  # noqa: E402
from nianbao.pipeline import add_report, ingest  # noqa: E402
from nianbao.store import coverage, export, open_store  # noqa: E402

YEARS = [2019, 2020, 2021, 2022, 2023]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=100_000)
    ap.add_argument("--db", default=None)
    ap.add_argument("--parse", type=int, default=0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:  # its database and exports gone at the end (--db's kept)
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> int:
    db = args.db or str(tmp / "bench.db")
    store = open_store(db)
    out: dict = {"reports": args.n, "db": "postgresql" if db.startswith("postgres") else "sqlite"}

    agencies = max(1, args.n // len(YEARS))
    t0 = time.perf_counter()
    written = 0
    for start in range(0, agencies, 2000):  # generate in slices: memory stays flat
        part = synth.corpus(min(2000, agencies - start), YEARS, seed=1000 + start)
        for r in part:
            add_report(store, r)
            written += 1
        el = time.perf_counter() - t0
        print(f"{written} reports, {written / el:.0f}/s", file=sys.stderr, flush=True)
    el = time.perf_counter() - t0
    out["insert_seconds"] = round(el, 1)
    out["insert_reports_per_second"] = round(written / el, 1)
    if not db.startswith("postgres"):
        out["sqlite_bytes"] = os.path.getsize(db) + (os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0)

    t = time.perf_counter()
    cov = coverage(store, 2022)
    out["coverage_seconds"] = round(time.perf_counter() - t, 3)
    out["coverage_agencies"] = len(cov["published"]) + len(cov["missing"])
    t = time.perf_counter()
    coverage(store, 2022, region="浙江省")
    out["coverage_region_seconds"] = round(time.perf_counter() - t, 3)

    for shape, fmt in (("wide", "csv"), ("wide", "parquet"), ("long", "parquet"), ("wide", "xlsx")):
        t = time.perf_counter()
        try:
            n = export(store, tmp / f"{shape}.{fmt}", shape=shape)
        except Exception as e:  # e.g. pyarrow missing
            out[f"export_{shape}_{fmt}"] = str(e)
            continue
        out[f"export_{shape}_{fmt}_seconds"] = round(time.perf_counter() - t, 1)
        out[f"export_{shape}_{fmt}_rows"] = n
        out[f"export_{shape}_{fmt}_bytes"] = (tmp / f"{shape}.{fmt}").stat().st_size

    if args.parse:
        seeds = sorted((Path(__file__).resolve().parent.parent / "samples" / "seeds").glob("*.txt"))
        files = tmp / "files"
        files.mkdir()
        for i in range(args.parse):
            src = seeds[i % len(seeds)]
            (files / f"{i:06d}_{src.name}").write_bytes(src.read_bytes() + f"\n（副本 {i}）\n".encode())
        pstore = open_store(tmp / "parse.db")
        t = time.perf_counter()
        statuses = [r.status for r in ingest(pstore, [files])]
        el = time.perf_counter() - t
        out["parse_ingest_files"] = len(statuses)
        out["parse_ingest_files_per_second"] = round(len(statuses) / el, 1)
        out["parse_ingest_failed"] = statuses.count("failed")
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
