"""Ingest against reading, side by side in one run (issue 14's target: ingest ≤ 1.3 × parse).

    python bench/bench_ingest.py [--n 600] [--workers N] [--write N_REPORTS]

1. Renders ``--n`` distinct random reports (``nianbao.synth`` in the seeds' text layouts of
   ``nianbao.render.layouts``, as ``bench_parse.py`` does) into a folder of ``.txt`` files.
2. Times ``nianbao parse DIR --json`` (one process, output discarded) and ``nianbao ingest DIR``
   into a fresh SQLite database (its worker pool, default workers), both as subprocesses of the
   real command line, one after the other, then the ratio; then ``nianbao ingest DIR`` again
   (every file ``unchanged``).
3. With ``--write N``: writes N generated reports (``synth.corpus``) through
   ``nianbao.store.ingest.write_reports`` (the batched writer ingest uses, signatures computed in
   this process) and prints reports/s.

Prints one JSON object (with the load average: the machine is shared, figures vary with it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def timed(cmd: list[str], env: dict) -> tuple[float, int]:
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, p.returncode


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--write", type=int, default=0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-ingest-"))
    files = tmp / "files"
    files.mkdir()
    build(files, args.n)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    nb = [sys.executable, "-m", "nianbao"]
    out: dict = {"files": args.n, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    subprocess.run(nb + ["parse", str(files / "00000.txt")], env=env, stdout=subprocess.DEVNULL)  # warm caches
    parse_s, rc = timed(nb + ["parse", str(files), "--json"], env)
    out["parse_seconds"], out["parse_exit"] = round(parse_s, 2), rc
    db = tmp / "ingest.db"
    w = ["--workers", str(args.workers)] if args.workers else []
    ingest_s, rc = timed(nb + ["ingest", str(files), "--db", str(db), "--quiet", *w], env)
    out["ingest_seconds"], out["ingest_exit"] = round(ingest_s, 2), rc
    out["ingest_over_parse"] = round(ingest_s / parse_s, 2)
    again_s, rc = timed(nb + ["ingest", str(files), "--db", str(db), "--quiet", *w], env)
    out["reingest_unchanged_seconds"] = round(again_s, 2)
    out["load_after"] = os.getloadavg()[0]

    if args.write:
        from nianbao.pipeline import _checks
        from nianbao.store import open_store
        from nianbao.store.ingest import write_reports

        store = open_store(tmp / "write.db")
        agencies = max(1, args.write // 5)
        written, el = 0, 0.0
        for start in range(0, agencies, 2000):
            part = list(synth.corpus(min(2000, agencies - start), [2019, 2020, 2021, 2022, 2023], seed=1000 + start))
            t = time.perf_counter()
            written += sum(1 for _ in write_reports(store, part, _checks()))
            el += time.perf_counter() - t
            print(f"{written} reports, {written / el:.0f}/s", file=sys.stderr, flush=True)
        out["write_reports"] = written
        out["write_seconds"] = round(el, 1)
        out["write_reports_per_second"] = round(written / el, 1)
        out["load_end"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
