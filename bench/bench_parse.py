"""Parse throughput for text input: reports per second on one core.

Generates ``--n`` random valid reports (``nianbao.synth``), renders each in one of the seeds'
layouts (``nianbao.render.layouts``; round robin, random presentation), then times only
``nianbao.parse.parse_bytes`` over all of them in this single process. Prints one line per layout
and the total; the figure to quote is the total's reports/s (CPU), the target 250.

    python bench/bench_parse.py            # 1,200 reports in the five layouts
    python bench/bench_parse.py --n 3000 --layouts cell_per_line pipe tsv_shifted
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao import synth  # noqa: E402
from nianbao.parse import parse_bytes  # noqa: E402
from nianbao.render import layouts as L  # noqa: E402

# The seeds' layouts: 000/004 one cell per line, 001 pipe, 002/003 tab-separated (002 in markdown),
# and the crawler text of issue 2.
DEFAULT_LAYOUTS = ("cell_per_line", "pipe", "tsv_shifted", "markdown_pdf", "run_together")
TARGET = 250.0  # issue 11: text parse at least 250 reports/s per core


def build(n: int, layouts: tuple[str, ...], seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        layout = layouts[i % len(layouts)]
        r = synth.report(rng.getrandbits(32))
        out.append((layout, L.render(r, layout, random.Random(rng.getrandbits(32))).encode("utf-8")))
    return out


def run(docs: list[tuple[str, bytes]]) -> dict[str, list[float]]:
    """Per layout: [count, wall seconds, cpu seconds, bytes]."""
    stats: dict[str, list[float]] = {}
    gc.collect()
    for layout, data in docs:
        w0, c0 = time.perf_counter(), time.process_time()
        parse_bytes(data, f"bench.{layout}.txt")
        w1, c1 = time.perf_counter(), time.process_time()
        s = stats.setdefault(layout, [0, 0.0, 0.0, 0])
        s[0] += 1
        s[1] += w1 - w0
        s[2] += c1 - c0
        s[3] += len(data)
    return stats


def table(stats: dict[str, list[float]]) -> str:
    head = f"{'layout':<15}{'reports':>8}{'KiB/report':>12}{'ms/report':>11}{'reports/s (wall)':>18}{'reports/s (cpu)':>17}"
    lines = [head, "-" * len(head)]
    total = [0, 0.0, 0.0, 0]
    for layout, (n, wall, cpu, size) in stats.items():
        total = [total[0] + n, total[1] + wall, total[2] + cpu, total[3] + size]
        lines.append(_line(layout, n, wall, cpu, size))
    lines.append("-" * len(head))
    lines.append(_line("total", *total))
    return "\n".join(lines)


def _line(name: str, n: int, wall: float, cpu: float, size: int) -> str:
    return (
        f"{name:<15}{n:>8}{size / n / 1024:>12.1f}{wall / n * 1000:>11.2f}"
        f"{n / wall:>18.0f}{n / cpu if cpu else float('inf'):>17.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1200, help="reports to parse (default 1200)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--layouts", nargs="+", default=list(DEFAULT_LAYOUTS), choices=L.LAYOUTS)
    ap.add_argument("--warmup", type=int, default=20, help="reports parsed before timing")
    args = ap.parse_args(argv)

    docs = build(args.n, tuple(args.layouts), args.seed)
    run(build(args.warmup, tuple(args.layouts), args.seed + 1))  # imports, caches, opencc
    stats = run(docs)
    print(f"nianbao parse, text input, one process, {args.n} generated reports\n")
    print(table(stats))
    n = sum(s[0] for s in stats.values())
    cpu = sum(s[2] for s in stats.values())
    rate = n / cpu
    print(f"\n{rate:.0f} reports/s/core (target {TARGET:.0f}): {'met' if rate >= TARGET else 'NOT met'}")
    seeds = sorted((ROOT / "samples" / "seeds").glob("*.txt"))
    if seeds:
        ref = run([("seeds", p.read_bytes()) for p in seeds] * max(1, 200 // len(seeds)))["seeds"]
        print(f"reference: the {len(seeds)} real seeds, {ref[0]} parses: {ref[0] / ref[2]:.0f} reports/s/core")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (noisy if above the core count)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
