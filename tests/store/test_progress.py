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


def test_piped_reparse_prints_plain_lines_then_the_summary(tmp_path):
    db = str(tmp_path / "c.db")
    assert _run("ingest", str(SEEDS), "--db", db, "--workers", "1", "--quiet").returncode == 0
    out = _run("reparse", "--all", "--db", db, "--workers", "1")
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    # the five stored reports: a line at each fifth, then the summary; nothing on standard output
    assert [ln.split("，")[0] for ln in lines[:5]] == [f"重新读取 {i}/5（{i * 20}%）" for i in range(1, 6)]
    assert all("个/秒" in ln for ln in lines[:5]) and "预计剩余" in lines[0] and "预计剩余" not in lines[4]
    assert lines[5].startswith("共 5 个文件：新增 0，未变 0，重新读取 5，并入已有报告 0，失败 0")
    assert len(lines) == 6 and out.stdout == ""
    # read by this reader already: nothing to do, and said so
    none = _run("reparse", "--db", db, "--workers", "1")
    assert none.returncode == 0 and none.stdout == ""
    assert none.stderr.startswith("没有需要重新读取的报告")
    assert _run("reparse", "--all", "--db", db, "--quiet").stderr == ""


def test_on_a_terminal_ingest_draws_a_bar_with_the_rate_and_the_time_left(tmp_path):
    """Standard error a pseudo-terminal, as in an interactive shell: rich's bar, redrawn in place
    (the count of the total, files per second, the time left), cleared at the end for the summary."""
    import fcntl
    import os
    import pty
    import random
    import re
    import struct
    import termios

    from nianbao import synth
    from nianbao.render import layouts as L

    folder = tmp_path / "in"
    folder.mkdir()
    rng = random.Random(6)
    n = 300  # a few seconds of ingest in one process: many redraws (ten a second)
    for i in range(n):
        text = L.render(synth.report(rng.getrandbits(32)), L.LAYOUTS[i % len(L.LAYOUTS)], random.Random(i))
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES", "TERM", "CI")}
    p = subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", str(folder), "--db", str(tmp_path / "c.db"),
                          "--workers", "1"], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave, env=dict(env, TERM="xterm-256color"))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command closed the terminal (it ended)
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert p.wait(timeout=300) == 0
    raw = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in raw  # drawn with escape sequences (cursor moves), not plain lines
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    assert not re.search(r"^入库 \d+/\d+（", screen, re.M)  # none of the piped form's lines
    frames = re.findall(r"入库 .*? (\d+)/300 +(\d+\.\d) 个/秒 +剩余 +(\d+:\d\d:\d\d)", screen)
    assert frames, screen[-2000:]
    assert all(0 <= int(done) <= n and float(rate) > 0 for done, rate, _ in frames)
    assert len({done for done, _, _ in frames}) >= 2  # redrawn as it went on
    assert screen.rstrip().splitlines()[-1].startswith(f"共 {n} 个文件：新增 {n}，")
