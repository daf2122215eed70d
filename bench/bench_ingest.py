"""Ingest against reading, side by side in one run (issue 14's target: ingest ≤ 1.3 × parse).

    python bench/bench_ingest.py [--n 600] [--workers N] [--write N_REPORTS [--names distinct|reused] [--keep DB]] [--export DB]

1. Renders ``--n`` distinct random reports (``nianbao.synth`` in the seeds' text layouts of
   ``nianbao.render.layouts``, as ``bench_parse.py`` does) into a folder of ``.txt`` files.
2. Times ``nianbao parse DIR --json`` (one process, output discarded) and ``nianbao ingest DIR``
   into a fresh SQLite database (its worker pool, default workers), both as subprocesses of the
   real command line, one after the other, then the ratio; then ``nianbao ingest DIR`` again
   (every file ``unchanged``).
   Besides wall time, the CPU time of each command is given (on a shared machine CPU seconds vary
   less than wall seconds); for ingest, of every process it started, its workers included (read
   from /proc while it runs, see ``timed_tree``): ``ingest_over_parse_cpu`` is the whole work of
   ingest against the whole work of parse.
3. With ``--write N``: writes N generated reports (``synth.corpus``: N/5 agencies of distinct
   names, ``synth.agency_names``, a report a year for 5 years, as a real corpus has one report
   per agency and year) into a fresh SQLite database (kept at ``--keep``), 2,000 at a time.
   ``--names reused``: the agencies' names drawn by ``synth.agency_name`` for each 400 agencies
   (what this bench did until 2026-12-02: ~2,400 names for the 20,000 agencies of 10^5 reports,
   so ~8 different reports of one name a year, each a candidate copy of the others and each
   year's paired with the next's: a denser corpus than any real one, kept as a stress case). Not timed: generating them, and
   preparing each report's rows in ``--workers`` processes (default the CPU count;
   ``ingest.prepare_report``: what ingest's workers hand the writer). Timed: the writer alone,
   ``ingest.write_prepared`` — the batch writer ingest uses (batches of 64, a savepoint per report,
   duplicate and copied-text search, cross-year pairs checked as ingest with worker processes
   checks them: those guessed before a batch is written in one more process while it is written,
   the others in the writer (``pairs_ahead``; ``--workers 1``: all in the writer), counts and
   review records, commits, WAL checkpoints). Prints reports/s of that wall time, of the writing
   process's CPU time, and of the CPU time of every process of the bench while it writes (the
   writer and the pairs' process; the preparing pool idles then).
4. With ``--export DB``: times ``nianbao export`` of DB as long Parquet, long CSV and wide CSV
   (``bench_export.py`` builds the 10^5-report database and times more shapes, repeated).
   ``--n 0`` skips step 1–2.

Before timing, ``nianbao`` is compiled to bytecode (``compileall``), as an installed package is:
in a shell with ``PYTHONDONTWRITEBYTECODE`` set, every run would otherwise compile its modules from
source, ingest twice (its writer and its forkserver), parse once.

Prints one JSON object (with the load average: the machine is shared, figures vary with it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao import synth  # noqa: E402
from nianbao.render import layouts as L  # noqa: E402

LAYOUTS = L.LAYOUTS


def build(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    layouts = list(LAYOUTS)
    for i in range(n):
        r = synth.report(rng.getrandbits(32))
        text = L.render(r, layouts[i % len(layouts)], random.Random(rng.getrandbits(32)))
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict) -> tuple[float, int, float]:
    """(wall seconds, exit status, CPU seconds of the command and its child processes)."""
    c, t = _children_cpu(), time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, p.returncode, _children_cpu() - c


def _processes() -> Iterator[tuple[int, int, int, float, float]]:
    """(pid, parent pid, session id, CPU seconds so far, CPU seconds of its children that ended and
    were waited for) of every process, read from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        yield (int(pid), int(fields[1]), int(fields[3]), (int(fields[11]) + int(fields[12])) / tick,
               (int(fields[13]) + int(fields[14])) / tick)


def _session_cpu(sid: int, seen: dict) -> None:
    """Note the CPU seconds of every process of a session (``seen``: pid → the most seen)."""
    for pid, _, session, cpu, _ in _processes():
        if session == sid:
            seen[pid] = max(seen.get(pid, 0.0), cpu)


def timed_tree(cmd: list[str], env: dict) -> tuple[float, int, float]:
    """(wall seconds, exit status, CPU seconds of every process the command started, its forkserver's
    workers included: the command runs in a session of its own, whose processes are read from
    /proc every 0.1 s; a process's last 0.1 s may be missed)."""
    seen: dict = {}
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while p.poll() is None:
        _session_cpu(p.pid, seen)
        time.sleep(0.1)
    return time.perf_counter() - t, p.returncode, sum(seen.values())


def _tree_cpu(root: int) -> float:
    """CPU seconds so far of a process and every process under it, those that ended included (the
    pairs' process of each write ends with it; the forkserver it was forked from waits for it)."""
    parent, cpu = {}, {}
    for pid, ppid, _, seconds, ended in _processes():
        parent[pid], cpu[pid] = ppid, seconds + ended
    total = 0.0
    for pid in cpu:
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += cpu[pid]
    return total


def write(out: dict, n: int, db: Path, workers: int, names: str = "distinct") -> None:
    """Write ``n`` generated reports into ``db`` with the batch writer (generation and preparation
    not timed: in ingest they happen in the workers while the writer writes)."""
    from concurrent.futures import ProcessPoolExecutor

    from nianbao import pipeline
    from nianbao.store import open_store
    from nianbao.store.ingest import prepare_report, write_prepared

    from nianbao.limits import start_early

    start_early(workers)  # the forkserver the pairs' process is forked from, started before timing (as ingest does)
    store = open_store(db)
    agencies = max(1, n // 5)
    written, wall, cpu, tree = 0, 0.0, 0.0, 0.0
    loads = [os.getloadavg()[0]]
    chunk = 400  # agencies (2,000 reports) generated and prepared at a time, then written
    distinct = synth.agency_names(agencies, seed=n) if names == "distinct" else None
    with ProcessPoolExecutor(workers) as prep:
        for start in range(0, agencies, chunk):
            part = synth.corpus(min(chunk, agencies - start), [2019, 2020, 2021, 2022, 2023], seed=1000 + start,
                               names=distinct[start:start + chunk] if distinct is not None else None)
            readings = list(prep.map(prepare_report, part.reports, chunksize=16))
            t, c, k = time.perf_counter(), time.process_time(), _tree_cpu(os.getpid())
            written += sum(1 for _ in write_prepared(store, readings, pipeline._checks(), ahead=workers > 1))
            wall += time.perf_counter() - t
            cpu += time.process_time() - c
            tree += _tree_cpu(os.getpid()) - k
            loads.append(os.getloadavg()[0])
            if len(loads) % 5 == 1 or written >= n:
                print(f"{written} reports, {written / wall:.0f}/s wall, {written / cpu:.0f}/s writer CPU, "
                      f"{written / tree:.0f}/s all CPU, load {loads[-1]:.1f}",
                      file=sys.stderr, flush=True)
    with store.engine.connect() as conn:
        findings = dict(conn.exec_driver_sql("SELECT origin, count(*) FROM findings GROUP BY origin").all())
    store.close()
    out.update({
        "write_names": names, "write_agencies": agencies, "write_workers": workers, "write_reports": written, "write_wall_seconds": round(wall, 1), "write_cpu_seconds": round(cpu, 1),
        "write_reports_per_second": round(written / wall, 1), "write_reports_per_cpu_second": round(written / cpu, 1),
        "write_all_cpu_seconds": round(tree, 1), "write_reports_per_all_cpu_second": round(written / tree, 1),
        "write_findings": findings, "write_loads": [round(x, 1) for x in loads[:: max(1, len(loads) // 20)]],
        "write_db_mb": round(db.stat().st_size / 2**20),
    })


def exports(out: dict, db: Path, tmp: Path, env: dict, nb: list[str]) -> None:
    for name, shape, suffix in (("long_parquet", "long", "parquet"), ("long_csv", "long", "csv"), ("wide_csv", "wide", "csv")):
        target = tmp / f"{name}.{suffix}"
        load = os.getloadavg()[0]
        s, rc, cpu = timed(nb + ["export", str(target), "--shape", shape, "--db", str(db), "--quiet"], env)
        out[f"export_{name}"] = {"seconds": round(s, 1), "cpu_seconds": round(cpu, 1), "exit": rc, "load": load,
                                 "mb": round(target.stat().st_size / 2**20, 1) if target.exists() else None}
        target.unlink(missing_ok=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--write", type=int, default=0)
    ap.add_argument("--names", choices=("distinct", "reused"), default="distinct",
                    help="--write: agencies of distinct names (default), or ~2,400 names reused (a stress case)")
    ap.add_argument("--keep", type=Path, default=None, help="where to keep the database --write makes")
    ap.add_argument("--export", type=Path, default=None, help="a database to time exports of")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-ingest-"))
    try:  # its files and databases gone at the end (a 10^5 write leaves 1.6 GB), --keep's kept
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def host_loop() -> float:
    """Seconds a fixed pure-Python loop takes here now: this host's own speed varies by ±20 % from
    one minute to the next (other tenants), so a figure is read beside it (the best of three
    runs of one million steps, before anything is timed)."""
    best = float("inf")
    for _ in range(3):
        t, s = time.perf_counter(), 0
        for i in range(1_000_000):
            s += i * i % 7
        best = min(best, time.perf_counter() - t)
    return round(best, 3)


def run(args, tmp: Path) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    nb = [sys.executable, "-m", "nianbao"]
    out: dict = {"files": args.n, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0],
                 "host_loop_seconds": host_loop()}
    # Compiled modules, as an installed package has them (a shell with PYTHONDONTWRITEBYTECODE would
    # have every run compile nianbao from source: ingest twice, in its writer and its forkserver).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "nianbao")],
                   env={k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}, stdout=subprocess.DEVNULL)
    if args.n:
        files = tmp / "files"
        files.mkdir()
        build(files, args.n)
        subprocess.run(nb + ["parse", str(files / "00000.txt")], env=env, stdout=subprocess.DEVNULL)  # warm caches
        parse_s, rc, parse_cpu = timed(nb + ["parse", str(files), "--json"], env)
        out["parse_seconds"], out["parse_cpu_seconds"], out["parse_exit"] = round(parse_s, 2), round(parse_cpu, 2), rc
        db = tmp / "ingest.db"
        w = ["--workers", str(args.workers)] if args.workers else []
        ingest_s, rc, ingest_cpu = timed_tree(nb + ["ingest", str(files), "--db", str(db), "--quiet", *w], env)
        out["ingest_seconds"], out["ingest_cpu_seconds"], out["ingest_exit"] = round(ingest_s, 2), round(ingest_cpu, 2), rc
        out["ingest_over_parse"] = round(ingest_s / parse_s, 2)
        out["ingest_over_parse_cpu"] = round(ingest_cpu / parse_cpu, 2)
        out["load_mid"] = os.getloadavg()[0]
        again_s, rc, _ = timed(nb + ["ingest", str(files), "--db", str(db), "--quiet", *w], env)
        out["reingest_unchanged_seconds"] = round(again_s, 2)
        out["load_after"] = os.getloadavg()[0]
    if args.write:
        write(out, args.write, args.keep or tmp / "write.db", args.workers or os.cpu_count() or 1, args.names)
    if args.export:
        exports(out, args.export, tmp, env, nb)
    elif args.write and args.keep:
        exports(out, args.keep, tmp, env, nb)
    out["load_end"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
