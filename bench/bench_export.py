"""Exports of a large corpus (issue 14's target: long Parquet of 10^5 reports ≤ 20 s).

    python bench/bench_export.py --build DB [--write 10000] [--copies 10] [--workers N]
    python bench/bench_export.py DB [--runs long_parquet,long_csv,wide_csv] [--repeat 1]

``--build DB`` makes the benchmark's database reproducibly (generation is seeded):
1. writes ``--write`` generated reports (``synth.corpus``, 5 years per agency, seeds as in
   ``bench_ingest.py --write``) with the batch writer into a fresh SQLite database at DB;
2. copies those reports ``--copies`` − 1 more times in SQL (``copy_reports``): every copy gets new
   report ids (the old id + k × the largest id), new sha256 values (the first 56 hex digits and
   ``k`` in 8 digits) and the same agencies, cells (packs, and the ``cells`` rows while the table
   exists), findings and sources. 10,000 × 10 gives the 10^5 reports (19.8 M cells) the README's
   figures are measured on. The index on ``cells(path, report_id)`` is dropped during the copy and
   made again after it.

``DB`` alone times ``nianbao export DB`` of each run (a subprocess of the real command line, as a
user runs it, ``--quiet``): wall and CPU seconds (CPU varies less on a shared machine), the size
of the file written and the load average before each run. ``--repeat`` runs each that many times.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = {  # name: (shape, suffix)
    "long_parquet": ("long", "parquet"),
    "long_csv": ("long", "csv"),
    "wide_csv": ("wide", "csv"),
    "wide_parquet": ("wide", "parquet"),
    "wide_xlsx": ("wide", "xlsx"),
    "findings_csv": ("findings", "csv"),
}


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in con.execute(f"PRAGMA table_info({table})")]


def _copy(con: sqlite3.Connection, table: str, changed: dict[str, str], where: str, skip: tuple = ()) -> None:
    """INSERT … SELECT every column of ``table`` (``changed``: expressions for some of them)."""
    cols = [c for c in _columns(con, table) if c not in skip]
    exprs = [changed.get(c, f'"{c}"') for c in cols]
    con.execute(f'INSERT INTO {table} ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
                f'SELECT {", ".join(exprs)} FROM {table} WHERE {where}')


def copy_reports(db: Path, copies: int) -> dict:
    """Copy the reports of ``db`` (with their originals, sources, cells, findings) ``copies`` − 1
    times with new ids and sha256 values; returns the counts."""
    con = sqlite3.connect(db, isolation_level=None)  # foreign keys off: the copies refer to each other's rows only
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    top = con.execute("SELECT max(id) FROM reports").fetchone()[0] or 0
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    index = con.execute("SELECT sql FROM sqlite_master WHERE type='index' AND name='ix_cells_path'").fetchone()
    if index:
        con.execute("DROP INDEX ix_cells_path")
    for k in range(1, copies):
        off = k * top
        sha = f"substr(sha256, 1, 56) || printf('%08d', {k})"
        con.execute("BEGIN")
        _copy(con, "originals", {"sha256": sha}, f"sha256 IN (SELECT sha256 FROM reports WHERE id <= {top})")
        _copy(con, "sources", {"sha256": sha}, f"sha256 IN (SELECT sha256 FROM reports WHERE id <= {top})")
        _copy(con, "reports", {"id": f"id + {off}", "sha256": sha}, f"id <= {top}")
        for cells in tables & {"cells", "cell_packs"}:  # the cells rows (until stage 2 drops them) and packs
            _copy(con, cells, {"report_id": f"report_id + {off}"}, f"report_id <= {top}")
        _copy(con, "findings", {"report_id": f"report_id + {off}", "other_report_id": f"other_report_id + {off}"},
              f"report_id <= {top}", skip=("id",))
        con.execute("COMMIT")
        print(f"copy {k} of {copies - 1}", file=sys.stderr, flush=True)
    if index:
        con.execute(index[0])
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("reports", "findings")}
    if "cell_packs" in tables:
        counts["cells"] = con.execute("SELECT coalesce(sum(n), 0) FROM cell_packs").fetchone()[0]
    if "cells" in tables:
        counts["cells_rows"] = con.execute("SELECT count(*) FROM cells").fetchone()[0]
    con.close()
    return counts


def build(db: Path, n: int, copies: int, workers: int) -> dict:
    from bench_ingest import write

    if db.exists():
        raise SystemExit(f"{db}: exists already; --build makes a fresh database")
    out: dict = {}
    write(out, n, db, workers)
    t = time.perf_counter()
    out.update(copy_reports(db, copies))
    out["copy_seconds"] = round(time.perf_counter() - t, 1)
    out["db_mb"] = round(db.stat().st_size / 2**20)
    return out


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_exports(db: Path, runs: list[str], repeat: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-export-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    nb = [sys.executable, "-m", "nianbao"]
    out: dict = {}
    for name in runs:
        shape, suffix = RUNS[name]
        target = tmp / f"{name}.{suffix}"
        for i in range(repeat):
            load = os.getloadavg()[0]
            c, t = _children_cpu(), time.perf_counter()
            p = subprocess.run(nb + ["export", str(target), "--shape", shape, "--db", str(db), "--quiet"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall, cpu = time.perf_counter() - t, _children_cpu() - c
            entry = {"seconds": round(wall, 1), "cpu_seconds": round(cpu, 1), "exit": p.returncode,
                     "load": round(load, 2), "mb": round(target.stat().st_size / 2**20, 1) if target.exists() else None}
            if p.returncode:
                entry["stderr"] = p.stderr[-500:]
            out.setdefault(f"export_{name}", []).append(entry)
            print(name, entry, file=sys.stderr, flush=True)
            target.unlink(missing_ok=True)
    tmp.rmdir()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path, nargs="?")
    ap.add_argument("--build", type=Path, default=None, help="make the benchmark database here")
    ap.add_argument("--write", type=int, default=10000, help="reports generated and written (with --build)")
    ap.add_argument("--copies", type=int, default=10, help="how many times the written reports appear (with --build)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runs", default="long_parquet,long_csv,wide_csv", help=f"of {', '.join(RUNS)}")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    out: dict = {"cpus": os.cpu_count(), "load_before": round(os.getloadavg()[0], 2)}
    if args.build:
        out.update(build(args.build, args.write, args.copies, args.workers))
    if args.db:
        out["reports"] = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True).execute("SELECT count(*) FROM reports").fetchone()[0]
        out.update(time_exports(args.db, [r for r in args.runs.split(",") if r], args.repeat))
    out["load_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
