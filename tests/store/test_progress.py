"""Progress of ingest and export on standard error: plain lines when piped, nothing with --quiet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rich.console import Console

from nianbao.cli.progress import Progress

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "samples" / "seeds"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_piped_ingest_prints_plain_progress_lines_then_the_summary(tmp_path):
    db = str(tmp_path / "c.db")
    out = _run("ingest", str(SEEDS), "--db", db, "--workers", "1")
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    # five files: one line at each fifth (each crosses a tenth), the last at 100 %, then the summary
    assert [ln.split("，")[0] for ln in lines[:5]] == [f"入库 {i}/5（{i * 20}%）" for i in range(1, 6)]
    assert all("个/秒" in ln for ln in lines[:5]) and "预计剩余" in lines[0] and "预计剩余" not in lines[4]
    assert lines[5].startswith("共 5 个文件：新增 5，未变 0")
    assert out.stdout == ""
    again = _run("ingest", str(SEEDS), "--db", db, "--workers", "1", "--quiet")
    assert again.returncode == 0 and again.stderr == "" and again.stdout == ""
    exp = _run("export", str(tmp_path / "w.csv"), "--db", db, "--quiet")
    assert exp.returncode == 0 and exp.stderr == ""
    exp = _run("export", str(tmp_path / "w.csv"), "--db", db)
    assert exp.stderr.splitlines()[-2].startswith("导出 5/5（100%）")
    assert exp.stderr.splitlines()[-1].startswith("已导出 5 行到")


def test_plain_lines_come_at_each_tenth_and_say_the_rate_and_the_time_left():
    import io

    buf = io.StringIO()
    console = Console(file=buf, width=200, force_terminal=False)
    with Progress("入库", 100, console) as p:
        for _ in range(100):
            p.advance()
    lines = buf.getvalue().splitlines()
    assert [ln.split("，")[0] for ln in lines] == [f"入库 {i}/100（{i}%）" for i in range(10, 101, 10)]
    quiet = io.StringIO()
    with Progress("入库", 100, Console(file=quiet, force_terminal=False), quiet=True) as p:
        for _ in range(100):
            p.advance()
    assert quiet.getvalue() == ""
