"""Hostile input: seconds and peak memory to read each file of ``scripts/make_hostile.py``.

    python bench/bench_hostile.py [--out DIR] [--only NAME…] [--json]

Every file is read in its own fresh process (``nianbao.parse.parse_path``; zips through the
ingest's input expansion, member by member, as ``nianbao ingest`` reads them) so that its peak
memory (``ru_maxrss``) is its own; the import of nianbao itself is measured once as the baseline.
Printed per file: the outcome (a report, or the error code), wall seconds, peak RSS in MB.
Done when every file ends within its time limit and under 1 GB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import nianbao.parse, nianbao.store.inputs, nianbao.read.html, nianbao.read.pdf, nianbao.read.docx
path = sys.argv[1]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
outcomes = []
if path == "-":
    pass
elif path.endswith(".zip"):
    for inp in nianbao.store.inputs.expand([path]):
        try:
            outcomes.append(nianbao.parse.parse_bytes(inp.read(), inp.path) and "report")
        except Exception as e:
            outcomes.append(nianbao.parse.error_object(inp.path, e)["error"]["code"])
else:
    try:
        nianbao.parse.parse_path(path)
        outcomes.append("report")
    except Exception as e:
        outcomes.append(nianbao.parse.error_object(path, e)["error"]["code"])
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": sorted(set(outcomes)), "seconds": seconds, "peak_mb": peak / 1024, "base_mb": base / 1024}))
"""


def load_cases():
    spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "scripts" / "make_hostile.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def measure(path: str, timeout: float) -> dict:
    t = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"outcome": ["(killed by the benchmark)"], "seconds": time.perf_counter() - t, "peak_mb": float("nan")}
    if out.returncode != 0 or not out.stdout.strip():
        return {"outcome": [f"(crashed: {out.stderr.strip().splitlines()[-1:] or out.returncode})"], "seconds": time.perf_counter() - t,
                "peak_mb": float("nan")}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="folder for the generated files (default: a temporary one)")
    ap.add_argument("--only", nargs="*", help="only these file names")
    ap.add_argument("--json", action="store_true", help="one JSON line per file")
    ap.add_argument("--timeout", type=float, default=900, help="kill a reading after this many seconds")
    args = ap.parse_args()
    mod = load_cases()
    from nianbao import limits

    lim = limits.current()
    with tempfile.TemporaryDirectory(prefix="nianbao-hostile-") as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        mod.make(out, special=True)
        names = [c.name for c in mod.CASES] + [name for name, _ in mod.SPECIAL]
        if args.only:
            names = [n for n in names if n in args.only]
        base = measure("-", args.timeout)
        print(f"# limits: {lim}", file=sys.stderr)
        print(f"# baseline (python + nianbao imported): {base['peak_mb']:.0f} MB", file=sys.stderr)
        worst_s = worst_mb = 0.0
        for name in names:
            size = (out / name).stat().st_size if (out / name).is_file() and not (out / name).is_symlink() else 0
            r = measure(str(out / name), args.timeout)
            r.update(name=name, size_kb=round(size / 1024))
            worst_s, worst_mb = max(worst_s, r["seconds"]), max(worst_mb, r["peak_mb"])
            if args.json:
                print(json.dumps(r, ensure_ascii=False))
            else:
                print(f"{name:24} {r['size_kb']:>8} KB  {' '.join(r['outcome'])[:40]:40} {r['seconds']:7.2f} s {r['peak_mb']:7.0f} MB",
                      flush=True)
        print(f"# {len(names)} files; slowest {worst_s:.2f} s (limit {lim.seconds:g} s); largest peak {worst_mb:.0f} MB",
              file=sys.stderr)
        ok = worst_s <= lim.seconds and worst_mb < 1024
        print("# every file within its time limit and under 1 GB" if ok else "# OVER: see above", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
