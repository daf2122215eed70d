"""The limits themselves: validation, environment variables, regular files only, the time limit
(in-process and by killing a worker), span clamping, and the ingest's exit status on failures."""

from __future__ import annotations

import json
import operator
import os
import subprocess
import sys
import time
import zipfile

import pytest

from hostile_cases import ROOT
from nianbao import limits
from nianbao.errors import LimitConfigError, NianbaoError, NotRegularFile, TimeLimitExceeded, UnpackedTooLarge
from nianbao.read.grid import SpanCell, expand_spans, expanded_size

FIX = ROOT / "tests" / "fixtures" / "formats"
SEED = ROOT / "samples" / "seeds" / "000_333e33f0e39a8a89.txt"


@pytest.fixture(autouse=True)
def fresh_limits():
    limits.configure(None)
    yield
    limits.configure(None)


@pytest.mark.parametrize("kwargs", [{"seconds": 0}, {"pages": -1}, {"pages": 1.5}, {"ratio": float("nan")},
                                    {"file_mb": float("inf")}, {"cells": True}, {"depth": "9"}])
def test_limits_must_be_positive_numbers(kwargs):
    with pytest.raises(LimitConfigError) as e:
        limits.Limits(**kwargs)
    name = next(iter(kwargs))
    assert limits.ENV[name] in e.value.message


def test_limits_come_from_the_environment():
    got = limits.Limits.from_env({"NIANBAO_MAX_PAGES": "3", "NIANBAO_MAX_FILE_MB": "0.5", "NIANBAO_MAX_SECONDS": " "})
    assert got.pages == 3 and got.file_mb == 0.5 and got.file_bytes == 524288
    assert got.seconds == limits.DEFAULT_SECONDS
    with pytest.raises(LimitConfigError) as e:
        limits.Limits.from_env({"NIANBAO_MAX_CELLS": "many"})
    assert "NIANBAO_MAX_CELLS" in e.value.message and "不是整数" in e.value.message
    with pytest.raises(LimitConfigError) as e:
        limits.Limits.from_env({"NIANBAO_MAX_FILE_MB": "lots"})
    assert "NIANBAO_MAX_FILE_MB" in e.value.message and "不是数字" in e.value.message


def test_an_environment_variable_changes_the_limit_of_the_command():
    env = dict(os.environ, NIANBAO_MAX_PAGES="1")
    out = subprocess.run([sys.executable, "-m", "nianbao", "parse", "--json", str(FIX / "longgang-2021.pdf")],
                         capture_output=True, text=True, timeout=120, env=env)
    line = json.loads(out.stdout)
    assert line["error"]["code"] == "too_many_pages" and "NIANBAO_MAX_PAGES" in line["error"]["message"]
    assert out.returncode == 1


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        start = time.perf_counter()
        with pytest.raises(NotRegularFile) as e:
            limits.read_file(path)
        assert time.perf_counter() - start < 1
        assert str(path) in e.value.message and "不是普通文件" in e.value.message
    link = tmp_path / "report.txt"
    link.symlink_to(SEED)  # a symlink to a regular file is read
    assert limits.read_file(link) == SEED.read_bytes()


def test_the_size_cap_is_checked_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3000)
    with pytest.raises(NianbaoError) as e:
        limits.read_file(big, limits.Limits(file_mb=0.001))
    assert e.value.code == "file_too_large" and "NIANBAO_MAX_FILE_MB" in e.value.message


def test_the_deadline_stops_a_reading_in_this_process():
    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded) as e:
        with limits.deadline("slow.html", seconds=0.2):
            while True:
                pass
    assert 0.15 < time.perf_counter() - start < 2
    assert e.value.code == "time_limit" and "slow.html" in e.value.message and "NIANBAO_MAX_SECONDS" in e.value.message


def test_the_deadline_is_not_swallowed_by_a_readers_except_exception():
    with pytest.raises(TimeLimitExceeded):
        with limits.deadline("x", seconds=0.1):
            try:
                time.sleep(5)
            except Exception:  # noqa: BLE001 - what a reader does around a library call
                pass


def test_a_real_pdf_stops_at_the_time_limit():
    from nianbao.parse import parse_path

    limits.configure(limits.Limits(seconds=0.05))  # reading this PDF takes about a second
    with pytest.raises(TimeLimitExceeded) as e:
        parse_path(FIX / "longgang-2021.pdf")
    assert "longgang-2021.pdf" in e.value.message


def test_a_pool_kills_a_hung_worker_and_goes_on():
    lim = limits.Limits(seconds=0.5)
    with limits.LimitedPool(1, lim, grace=0.5) as pool:
        hung = pool.submit(time.sleep, 60)  # a C call no signal interrupts
        after = pool.submit(operator.add, 2, 3)
        start = time.perf_counter()
        with pytest.raises(TimeLimitExceeded):
            hung.result(timeout=30)
        assert time.perf_counter() - start < 10
        assert after.result(timeout=30) == 5  # a new worker took over


def test_a_pool_reports_a_worker_that_died():
    with limits.LimitedPool(1) as pool:
        died = pool.submit(os._exit, 3)
        with pytest.raises(NianbaoError) as e:
            died.result(timeout=60)
        assert "读取进程异常退出" in e.value.message
        assert pool.submit(operator.mul, 6, 7).result(timeout=60) == 42


def test_ingest_records_the_time_limit_and_stops_the_worker(tmp_path):
    from nianbao.store import open_store
    from nianbao.pipeline import ingest

    limits.configure(limits.Limits(seconds=0.05))
    store = open_store(str(tmp_path / "c.db"))
    try:
        [result] = list(ingest(store, [FIX / "longgang-2021.pdf"], workers=2))
    finally:
        store.close()
    assert result.status == "failed" and result.error["code"] == "time_limit"
    assert "longgang-2021.pdf" in result.error["message"]


def test_spans_are_clamped_and_their_size_known_before_expanding():
    # rowspan=0 covers the rest of the table (here 3 rows); colspan 10^9 is clamped to 200
    rows = [[SpanCell("a", 0, 1), SpanCell("b")], [SpanCell("c")], [SpanCell("d", 1, 10**9)]]
    grid = expand_spans(rows)
    assert [r[0] for r in grid.rows] == ["a", "a", "a"]
    assert grid.rows[2][1] == "d"
    assert expanded_size(rows) >= len(grid.rows) * grid.width
    bomb = [[SpanCell("x", 200, 200)] * 50 for _ in range(200)]
    start = time.perf_counter()
    assert expanded_size(bomb) > 1_000_000  # 10,000 cells × up to 40,000 slots each, not expanded
    assert time.perf_counter() - start < 0.5


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)


def test_zip_members_are_checked_before_and_while_unpacking(tmp_path):
    from nianbao.store.inputs import expand

    archive = tmp_path / "batch.zip"
    _zip(archive, [("a.txt", SEED.read_bytes()), ("bomb.txt", b"z" * (3 * 1024 * 1024))])
    limits.configure(limits.Limits(ratio=50))
    inputs = list(expand([archive]))  # all listed first, read later (the archive is reopened)
    assert [i.path.rsplit("!", 1)[1] for i in inputs] == ["a.txt", "bomb.txt"]
    assert inputs[0].read() == SEED.read_bytes()
    with pytest.raises(NianbaoError) as e:
        inputs[1].read()
    assert e.value.code == "compression_ratio" and "bomb.txt" in e.value.message
    limits.configure(limits.Limits(unpacked_mb=1))
    with pytest.raises(UnpackedTooLarge):
        list(expand([archive]))[1].read()


def test_a_fifo_in_a_folder_is_listed_as_failed(tmp_path):
    from nianbao.store.inputs import expand

    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(tmp_path / "b.html")
    inputs = list(expand([tmp_path]))
    assert [os.path.basename(i.path) for i in inputs] == ["a.txt", "b.html"]
    with pytest.raises(NotRegularFile):
        inputs[1].read()


def test_ingest_fails_again_on_a_file_stored_as_unreadable_and_exits_1(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot a pdf")
    db = str(tmp_path / "c.db")
    for _ in range(2):
        out = subprocess.run([sys.executable, "-m", "nianbao", "ingest", "--json", "--db", db, str(bad)],
                             capture_output=True, text=True, timeout=120)
        line = json.loads(out.stdout)
        assert line["status"] == "failed" and line["error"]["code"] == "corrupt_file"
        assert out.returncode == 1


def test_shutting_a_pool_down_does_not_wait_for_a_hung_task():
    pool = limits.LimitedPool(1, limits.Limits(seconds=120))
    hung = pool.submit(time.sleep, 100)
    time.sleep(1)  # the worker has it
    start = time.perf_counter()
    pool.shutdown(wait=True, cancel_futures=True)  # what ingest does on Ctrl-C
    assert time.perf_counter() - start < 10
    with pytest.raises(NianbaoError):
        hung.result(timeout=1)
