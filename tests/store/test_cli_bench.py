"""`make bench` (scripts/bench.sh): every benchmark of bench/ is one it runs, a name it does not know
is refused, and a run leaves its figures where it says. The benchmarks themselves are never timed
in the suite: the one run here is the accuracy one (a few seconds)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench.sh"


def _names() -> list[str]:
    (line,) = [ln for ln in SCRIPT.read_text(encoding="utf-8").splitlines() if ln.startswith("ALL=(")]
    return line[len("ALL=("):-1].split()


def test_make_bench_runs_the_script_and_the_script_knows_every_benchmark():
    make = subprocess.run(["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert make.returncode == 0, make.stderr
    assert "bash scripts/bench.sh" in make.stdout and SCRIPT.is_file()
    on_disk = sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))
    assert sorted(_names()) == on_disk  # a new benchmark is run by `make bench` too


def test_an_unknown_benchmark_is_refused_before_anything_runs(tmp_path):
    out = subprocess.run(["bash", str(SCRIPT), "parse", "nosuch"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, env=dict(os.environ, BENCH_OUT=str(tmp_path / "res")))
    assert out.returncode == 2
    assert "unknown benchmark: nosuch" in out.stderr and "accuracy" in out.stderr
    assert not (tmp_path / "res").exists()
    size = subprocess.run(["bash", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, BENCH_SIZE="huge"))
    assert size.returncode == 2 and "BENCH_SIZE=huge" in size.stderr


def test_a_run_writes_each_benchmarks_output_where_it_says(tmp_path):
    venv = tmp_path / "venv"  # this interpreter as the script's venv, marked installed (no pip run)
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "bin" / "python").chmod(0o755)
    (venv / ".all").touch()
    res = tmp_path / "res"
    out = subprocess.run(["bash", str(SCRIPT), "accuracy"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, VENV=str(venv), BENCH_OUT=str(res)))
    assert out.returncode == 0, out.stderr
    assert f"results: {res}" in out.stderr and f"{res}/accuracy.out" in out.stderr
    table = (res / "accuracy.out").read_text(encoding="utf-8")
    # one row per real document with truth: tests/documents/corpus holds five
    rows = [ln for ln in table.splitlines() if re.match(r"corpus/\S+\s+\d+/\d+", ln)]
    assert len(rows) == len(list((ROOT / "tests" / "documents" / "corpus").glob("*.*"))) == 5
