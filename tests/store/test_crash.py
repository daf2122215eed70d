"""Crash tests (issue 14 item 5): kill -9 during an ingest and during a correction, two ingests at
once on one database, the web app reading while an ingest writes; Ctrl-C during an ingest (item 2).
Small corpora, each kill landing at a known point (a hook that waits inside the transaction) or once
rows are seen committed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nianbao import synth
from nianbao.model import Report
from nianbao.render import layouts as L
from nianbao.store import cellpack, open_store
from nianbao.store import schema as S

ROOT = Path(__file__).resolve().parents[2]
N_FILES = 24

# Runs an ingest that stops for good inside the transaction of its BATCH-th batch (after the
# reports were written, before the commit), having first said so by creating the file MARK.
HOOKED_INGEST = """
import sys, time
from nianbao import pipeline
from nianbao.store import ingest as I, open_store
db, folder, batch, mark = sys.argv[1:5]
real, calls = I.refresh_counts, []
def refresh(conn, ids):
    real(conn, ids)
    calls.append(1)
    if len(calls) == int(batch):
        open(mark, "w").close()
        time.sleep(600)
I.refresh_counts = refresh
I.MIN_BATCH = 4  # batches of a few reports: N_FILES make several
for _ in pipeline.ingest(open_store(db), [folder], workers=2):
    pass
"""

# Runs a correction that stops for good inside its transaction (the event and the cell written).
HOOKED_CORRECT = """
import sys, time
from nianbao import corrections
from nianbao.store import open_store, write
db, rid, cell, value, mark = sys.argv[1:6]
def refresh(conn, ids):
    open(mark, "w").close()
    time.sleep(600)
write.refresh_counts = refresh
corrections.correct(open_store(db), int(rid), [(cell, value)], "测试", "tester")
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """N_FILES distinct generated reports in the seeds' text layouts."""
    return _rendered(tmp_path_factory.mktemp("crash-corpus"), N_FILES, seed=14, digits=3)


def _rendered(out: Path, n: int, seed: int, digits: int) -> Path:
    """``n`` distinct generated reports rendered in the seeds' text layouts, named by number."""
    rng = random.Random(seed)
    for i in range(n):
        r = synth.report(rng.getrandbits(32))
        text = L.render(r, L.LAYOUTS[i % len(L.LAYOUTS)], random.Random(rng.getrandbits(32)))
        (out / f"{i:0{digits}d}.txt").write_text(text, encoding="utf-8")
    return out


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _kill9(p: subprocess.Popen) -> None:
    """kill -9 the process, then its worker processes (the same session) so none outlives the test."""
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_for(cond, p: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if p.poll() is not None:
            raise AssertionError(f"exited early ({p.returncode}): {p.stderr.read().decode()}")
        if time.monotonic() > end:
            _kill9(p)
            raise AssertionError("timed out")
        time.sleep(0.05)


def _count(db: str, table) -> int:
    s = open_store(db, migrate=False)
    try:
        with s.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        s.close()


def _cell(conn, rid: int, path: str) -> tuple:
    """(value in force, value as read) of one cell of a stored report."""
    (c,) = [c for c in cellpack.cells_of(conn, rid) if c.path == path]
    return c.value, c.read_value


def _assert_whole(db: str) -> int:
    """The database is sound and every stored report is whole; returns the number of reports."""
    s = open_store(db)
    try:
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            rows = conn.execute(select(S.reports.c.id, S.reports.c.sha256, S.reports.c.model, S.reports.c.status)).all()
            cells = dict(conn.execute(select(S.cell_packs.c.report_id, S.cell_packs.c.n)).all())
            originals = set(conn.execute(select(S.originals.c.sha256)).scalars())
            lines = set(conn.execute(select(S.source_lines.c.report_id)).scalars())
            for r in rows:
                assert r.sha256 in originals
                assert r.status != "unreadable", r  # every generated report reads
                # all of its cells, its source lines: nothing half-written
                assert cells.get(r.id, 0) == len(list(Report.model_validate_json(r.model).cells())) > 0
                assert r.id in lines
        return len(rows)
    finally:
        s.close()


def test_kill_9_during_ingest_leaves_whole_reports_and_the_next_run_resumes(folder, tmp_path):
    db = str(tmp_path / "c.db")
    # 1. killed inside the transaction of its second batch: the first batch is kept, the second not
    mark = tmp_path / "mark"
    p = _spawn([sys.executable, "-c", HOOKED_INGEST, db, str(folder), "2", str(mark)])
    _wait_for(mark.exists, p)
    _kill9(p)
    first = _assert_whole(db)
    assert 0 < first < N_FILES
    # 2–4. the command line, killed as soon as more reports are committed than before
    seen = first
    for _ in range(3):
        p = _spawn([sys.executable, "-m", "nianbao", "ingest", str(folder), "--db", db, "--workers", "2", "--quiet"])
        _wait_for(lambda: _count(db, S.reports) > seen, p)
        if p.poll() is None:
            _kill9(p)
        now = _assert_whole(db)
        assert now > seen
        seen = now
        if seen == N_FILES:
            break
    # the last run stores what is left; the files stored before are unchanged
    _the_rest_stored(folder, db, N_FILES, seen)


def _the_rest_stored(folder: Path, db: str, n: int, stored: int, *options: str, timeout: int = 300) -> None:
    """The next ingest of the ``n`` files of ``folder`` stores what is left: the ``stored`` ones
    unchanged, the others new, every report whole, one original and one source each."""
    out = subprocess.run([sys.executable, "-m", "nianbao", "ingest", str(folder), "--db", db, *options, "--json", "--quiet"],
                         cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr
    statuses = [json.loads(line)["status"] for line in out.stdout.splitlines()]
    assert len(statuses) == n
    assert statuses.count("unchanged") == stored and statuses.count("new") == n - stored
    assert _assert_whole(db) == n
    assert _count(db, S.originals) == n and _count(db, S.sources) == n


def test_kill_9_during_a_correction_records_nothing(folder, tmp_path):
    from nianbao import pipeline
    from nianbao.corrections import correct

    db = str(tmp_path / "c.db")
    s = open_store(db)
    (res,) = list(pipeline.ingest(s, [folder / "000.txt"], workers=1))
    rid = res.report_id
    cell = "tables.requests.new_received.total"
    with s.engine.connect() as conn:
        before = _cell(conn, rid, cell)[0]
        findings_before = conn.execute(select(func.count()).select_from(S.findings)).scalar_one()
    s.close()
    new = before + 7
    mark = tmp_path / "mark"
    p = _spawn([sys.executable, "-c", HOOKED_CORRECT, db, str(rid), cell, str(int(new)), str(mark)])
    _wait_for(mark.exists, p)
    _kill9(p)
    _assert_whole(db)
    s = open_store(db)
    with s.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(S.overrides)).scalar_one() == 0
        value, read = _cell(conn, rid, cell)
        assert (value, read) == (before, before)
        assert conn.execute(select(func.count()).select_from(S.findings)).scalar_one() == findings_before
    # the same correction, not interrupted, is recorded whole
    correct(s, rid, [(cell, str(int(new)))], "测试", "tester")
    with s.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(S.overrides)).scalar_one() == 1
        value, read = _cell(conn, rid, cell)
    assert (value, read) == (new, before)
    s.close()


def test_two_ingests_at_once_store_each_report_once(folder, tmp_path):
    db = str(tmp_path / "c.db")
    open_store(db).close()  # the schema made once, before both start
    cmd = [sys.executable, "-m", "nianbao", "ingest", str(folder), "--db", db, "--workers", "2", "--quiet"]
    procs = [_spawn(cmd) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    assert _assert_whole(db) == N_FILES
    assert _count(db, S.originals) == N_FILES and _count(db, S.sources) == N_FILES


def test_the_web_app_reads_while_an_ingest_writes(folder, tmp_path):
    from fastapi.testclient import TestClient

    from nianbao.serve.app import create_app

    db = str(tmp_path / "c.db")
    client = TestClient(create_app(db))
    p = _spawn([sys.executable, "-m", "nianbao", "ingest", str(folder), "--db", db, "--workers", "2", "--quiet"])
    totals = []
    while p.poll() is None:
        for url in ("/", "/reports", "/api/reports"):
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.status_code)
        totals.append(client.get("/api/reports").json()["total"])
    assert p.returncode == 0, p.stderr.read().decode()
    assert totals == sorted(totals)  # reports only ever appear, whole
    assert client.get("/api/reports").json()["total"] == N_FILES
    first = client.get("/api/reports").json()["items"][0]["id"]
    assert client.get(f"/reports/{first}").status_code == 200


N_MANY = 1200  # ~6 s of `nianbao ingest --workers 2` on a quiet 2-core machine


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """N_MANY distinct generated reports: enough for an ingest to be interrupted well before its end."""
    return _rendered(tmp_path_factory.mktemp("sigint-corpus"), N_MANY, seed=2, digits=4)


def _session(sid: int) -> list[int]:
    """The live processes of a session (/proc/PID/stat: pgrp and session after the command's name)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                after = f.read().rsplit(b")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        state, pgrp, session = after[0], int(after[2]), int(after[3])
        if state != b"Z" and sid in (pgrp, session):
            pids.append(int(entry))
    return pids


def _collect(stream, lines: list[str], seen: threading.Event | None = None, prefix: str = "") -> threading.Thread:
    def run() -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace")
            lines.append(line)
            if seen is not None and line.startswith(prefix):
                seen.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_ctrl_c_during_ingest_ends_its_workers_keeps_whole_reports_and_the_next_run_resumes(many, tmp_path):
    db = str(tmp_path / "c.db")
    p = subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", str(many), "--db", db, "--workers", "2", "--json"],
                         cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    out, err, writing = [], [], threading.Event()
    readers = [_collect(p.stdout, out), _collect(p.stderr, err, writing, "入库 ")]
    try:
        # the first progress line: a tenth of the files committed, nine tenths still to read
        assert writing.wait(300), f"no progress line ({p.poll()}): {''.join(err)}"
        assert p.poll() is None, "ended before it could be interrupted"
        helpers = set(_session(p.pid)) - {p.pid}
        assert len(helpers) >= 2  # its reading processes (and their forkserver), running
        os.killpg(p.pid, signal.SIGINT)  # Ctrl-C on a terminal: the whole foreground process group
        p.wait(timeout=300)
        end = time.monotonic() + 60  # the forkserver ends on its own once its parent is gone
        while _session(p.pid) and time.monotonic() < end:
            time.sleep(0.2)
        left = _session(p.pid)
    finally:
        if p.poll() is None or _session(p.pid):
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)
    for t in readers:
        t.join(timeout=30)
    assert p.returncode == 130, "".join(err)  # the interrupt's status (cli/corpus.py _run_ingest)
    assert left == [], f"left running: {left} of {sorted(helpers)}"
    assert any("已中断" in line for line in err)
    assert not any("Traceback" in line for line in err), "".join(err)
    printed = [json.loads(line) for line in out]  # a line once its report is committed
    assert {x["status"] for x in printed} == {"new"}
    stored = _assert_whole(db)  # integrity; every stored report whole, none half-written
    assert 0 < len(printed) <= stored < N_MANY
    # the next run stores the rest; what the first stored is unchanged
    _the_rest_stored(many, db, N_MANY, stored, "--workers", "2", timeout=900)
