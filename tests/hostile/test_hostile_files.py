"""Every hostile file ends with a report or a clear error, never a traceback or an internal error;
an oversized one with the reader's own limit error (its code says which limit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_cases import ROOT, load_make_hostile
from nianbao.errors import NianbaoError
from nianbao.model import Report
from nianbao.parse import parse_path

MOD = load_make_hostile()
FILES = [c for c in MOD.CASES if not c.name.endswith(".zip")]  # zips are archives: read by ingest below
SLOW_OK = {"time_limit"}  # a harmless file may take longer than the suite's short limit


def outcome(path: Path) -> tuple[str, str]:
    try:
        report = parse_path(path)
    except NianbaoError as e:
        return e.code, e.message
    assert isinstance(report, Report)
    return "report", ""


@pytest.mark.parametrize("case", FILES, ids=[c.name for c in FILES])
def test_each_file_gives_a_report_or_a_clear_error(case, hostile_dir, test_limits):
    start = time.perf_counter()
    code, message = outcome(hostile_dir / case.name)  # anything but a NianbaoError propagates: a failure
    took = time.perf_counter() - start
    assert code != "internal_error", message
    assert took < test_limits.seconds + 5
    if code != "report":
        assert case.name in message, message  # names the file
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message)  # says it in Chinese
    if case.expect is not None:
        assert code in case.expect, f"{case.name}: {code} {message}"
    else:
        assert code == "report" or code not in ("internal_error",), message


@pytest.mark.parametrize("name,code", MOD.SPECIAL)
def test_special_files_are_refused_without_reading(name, code, hostile_dir, test_limits):
    start = time.perf_counter()
    got, message = outcome(hostile_dir / name)
    assert time.perf_counter() - start < 2  # a FIFO without a writer would block forever, /dev/zero never end
    assert got != "report" and got != "internal_error"
    assert name in message
    if code:
        assert got == code and "不是普通文件" in message


def test_limit_errors_name_the_limit_and_how_to_change_it(hostile_dir, test_limits):
    code, message = outcome(hostile_dir / "pages-5000.pdf")
    assert code == "too_many_pages"
    assert "5000" in message and "500" in message and "NIANBAO_MAX_PAGES" in message


def test_ingest_reads_archives_and_special_files_under_the_limits(hostile_dir, test_limits, tmp_path):
    """``ingest`` (worker processes) on the zips, the special files and one file of each kind."""
    from nianbao.store import open_store
    from nianbao.pipeline import ingest

    zips = [c for c in MOD.CASES if c.name.endswith(".zip")]
    others = ["span-bomb.html", "pages-5000.pdf", "xml-bomb.docx", "encrypted-user.pdf", "huge.txt", "empty.txt"]
    expect = {c.name: c.expect for c in MOD.CASES} | {name: {code} if code else None for name, code in MOD.SPECIAL}
    paths = [hostile_dir / c.name for c in zips] + [hostile_dir / n for n in others] + [hostile_dir / n for n, _ in MOD.SPECIAL]
    store = open_store(str(tmp_path / "corpus.db"))
    try:
        results = list(ingest(store, paths, workers=2))
    finally:
        store.close()
    seen = set()
    for r in results:
        name = Path(r.path.split("!")[0]).name
        seen.add(name)
        assert r.status in ("new", "unchanged", "failed", "duplicate")
        if r.status == "failed":
            assert r.error["code"] != "internal_error", r.error
            assert name in r.error["message"]
        allowed = expect[name]
        if allowed is not None and name.endswith(".zip") and r.path.endswith(".zip"):
            assert r.error["code"] in allowed, (r.path, r.error)
        elif allowed is not None and not name.endswith(".zip"):
            assert r.status == "failed" and r.error["code"] in allowed, (r.path, r.error)
    assert seen == {p.name for p in paths}
    by_path = {r.path: r for r in results}
    assert by_path[f"{hostile_dir / 'ratio-bomb.zip'}!2022/report.txt"].error["code"] == "compression_ratio"
    assert by_path[str(hostile_dir / "count-bomb.zip")].error["code"] == "too_many_members"
    assert {by_path[f"{hostile_dir / 'many-letters.zip'}!r{k}.txt"].error["code"] for k in range(3)} == {"compression_ratio"}
    assert by_path[f"{hostile_dir / 'nested.zip'}!report.txt"].status == "new"  # the harmless member is read
    assert by_path[str(hostile_dir / "fifo.html")].error["code"] == "not_regular_file"


def test_the_parse_command_prints_a_line_per_hostile_file_and_no_traceback(hostile_dir):
    names = ["fifo.html", "dev-zero.txt", "span-bomb.html", "pages-5000.pdf", "encrypted-user.pdf", "xml-bomb.docx",
             "span-garbage.html"]
    env = dict(os.environ, NIANBAO_MAX_SECONDS="20")
    out = subprocess.run([sys.executable, "-m", "nianbao", "parse", "--json", *[str(hostile_dir / n) for n in names]],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert "Traceback" not in out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(line["source"]["path"]).name for line in lines] == names
    codes = [line.get("error", {}).get("code") for line in lines]
    assert codes[:6] == ["not_regular_file", "not_regular_file", "grid_too_large", "too_many_pages", "encrypted_file",
                         "compression_ratio"]
    assert out.returncode == 1
