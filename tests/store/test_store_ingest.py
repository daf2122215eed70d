"""Ingest: seeds, idempotence, failures inside a batch, zips, kill safety, reparse."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

import nianbao
from nianbao.pipeline import ingest, ingest_bytes, reparse
from nianbao.store import get_original, get_report, list_reports
from nianbao.store import schema as S
from nianbao.store import write as W

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
LONGGANG = SEEDS / "004_09848c8a4e14a3e3.txt"


def _count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_seeds_are_ingested_then_unchanged(store):
    first = list(ingest(store, [SEEDS], workers=2))
    assert [r.status for r in first] == ["new"] * 5
    assert [Path(r.path).name for r in first] == sorted(p.name for p in SEEDS.iterdir())
    second = list(ingest(store, [SEEDS], workers=2))
    assert [r.status for r in second] == ["unchanged"] * 5
    assert [r.report_id for r in second] == [r.report_id for r in first]
    assert _count(store, S.reports) == 5 and _count(store, S.originals) == 5
    # agencies and years as the seeds print them (checked by hand in each seed's title)
    got = {(s.agency_raw, s.year) for s in list_reports(store)}
    assert ("龙港市人民政府", 2021) in got
    assert ("乳山市乳山寨镇人民政府", 2022) in got
    assert ("翟镇镇人民政府", 2020) in got


def test_cells_keep_value_raw_text_and_line(store):
    (res,) = list(ingest(store, [LONGGANG], workers=1))
    sr = get_report(store, res.report_id)
    cells = {c["path"]: c for c in sr.cells}
    # 龙港市 2021 表三: 本年新收 总计 166, （七）总计 165, 结转下年度 1; 表二 规章 printed "/"
    assert cells["tables.requests.new_received.total"]["value"] == 166
    assert cells["tables.requests.processed_total.total"]["value"] == 165
    assert cells["tables.requests.carried_forward.total"]["value"] == 1
    assert cells["tables.requests.new_received.total"]["line"] is not None
    assert sr.report.meta.agency == "龙港市人民政府"
    assert sr.summary.region["city"] == "温州市" and sr.summary.region["province"] == "浙江省"
    path, data = get_original(store, res.report_id)
    assert data == LONGGANG.read_bytes() and path == str(LONGGANG)


def test_failing_files_are_recorded_and_the_batch_goes_on(store, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "broken.pdf"
    garbage.write_bytes(b"%PDF-1.4\n this is not a pdf at all")
    missing = tmp_path / "nope.html"
    results = list(ingest(store, [empty, LONGGANG, garbage, missing], workers=2))
    assert [r.status for r in results] == ["failed", "new", "failed", "failed"]
    for r in (results[0], results[2], results[3]):
        assert r.error["code"] and Path(r.path).name in r.error["message"]
    assert results[3].sha256 is None and results[3].report_id is None
    unreadable = list_reports(store, status="unreadable")
    assert {Path(s.path).name for s in unreadable} == {"empty.txt", "broken.pdf"}
    # failures are kept: the same bad file is not re-read, and is failed again with its error (spec §7)
    again = list(ingest(store, [garbage], workers=1))
    assert again[0].status == "failed" and again[0].error["code"] == results[2].error["code"]
    assert again[0].report_id == results[2].report_id


def test_zip_archives_and_duplicates_in_one_batch(store, tmp_path):
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(LONGGANG, "2021/longgang.txt")
        z.write(SEEDS / "000_333e33f0e39a8a89.txt", "2022/rushan.txt")
        z.writestr("__MACOSX/._rushan.txt", b"junk")
    results = list(ingest(store, [archive, LONGGANG], workers=2))
    assert [r.path for r in results] == [f"{archive}!2021/longgang.txt", f"{archive}!2022/rushan.txt", str(LONGGANG)]
    assert [r.status for r in results] == ["new", "new", "unchanged"]
    assert results[2].report_id == results[0].report_id
    sr = get_report(store, results[0].report_id)
    assert sorted(sr.sources) == sorted([f"{archive}!2021/longgang.txt", str(LONGGANG)])


def test_an_exception_mid_write_leaves_nothing_half_written(store, monkeypatch):
    real = W.insert_findings
    calls = {"n": 0}

    def boom(conn, rows):
        calls["n"] += 1
        raise KeyboardInterrupt  # what Ctrl-C raises, after cells were inserted

    monkeypatch.setattr(W, "insert_findings", boom)
    with pytest.raises(KeyboardInterrupt):
        list(ingest(store, [LONGGANG], workers=1))
    assert calls["n"] == 1
    for table in (S.reports, S.cell_packs, S.findings, S.originals, S.sources, S.agencies):
        assert _count(store, table) == 0, table.name
    monkeypatch.setattr(W, "insert_findings", real)
    (res,) = list(ingest(store, [LONGGANG], workers=1))
    assert res.status == "new" and _count(store, S.cell_packs) == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(S.cell_packs.c.n)).scalar_one() > 100


def test_reparse_when_reader_version_changes(store, monkeypatch):
    (res,) = list(ingest(store, [LONGGANG], workers=1))
    assert list(reparse(store)) == []  # nothing stale
    monkeypatch.setattr(nianbao, "READER_VERSION", nianbao.READER_VERSION + 1)
    out = list(reparse(store, workers=1))
    assert [(r.status, r.report_id) for r in out] == [("reparsed", res.report_id)]
    with store.engine.connect() as conn:
        v = conn.execute(select(S.reports.c.reader_version)).scalar_one()
    assert v == nianbao.READER_VERSION
    assert get_report(store, res.report_id).report.get("tables.requests.new_received.total") == 166
    assert [r.status for r in ingest(store, [LONGGANG], workers=1)] == ["unchanged"]


def test_ingest_bytes_for_uploads(store):
    r = ingest_bytes(store, LONGGANG.read_bytes(), "upload/longgang.txt")
    assert r.status == "new" and r.report_id is not None
    assert ingest_bytes(store, LONGGANG.read_bytes(), "upload/again.txt").status == "unchanged"
    bad = ingest_bytes(store, b"", "upload/empty.txt")
    assert bad.status == "failed" and "upload/empty.txt" in bad.error["message"]


def test_two_processes_ingesting_at_once(store_url, tmp_path):
    """A web upload and a batch run may write at the same time (SQLite in WAL mode, or PostgreSQL)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "nianbao", "ingest", str(SEEDS), "--db", store_url, "--workers", "1"]
    procs = [subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    from nianbao.store import open_store

    s = open_store(store_url)
    assert _count(s, S.reports) == 5 and _count(s, S.originals) == 5
    assert {r.status for r in ingest(s, [SEEDS], workers=1)} == {"unchanged"}


def _die_on_longgang(data: bytes, path: str):
    import os as _os

    from nianbao.parse import parse_bytes
    from nianbao.store.ingest import Parsed

    if path.endswith("004_09848c8a4e14a3e3.txt"):
        _os._exit(3)  # as a crash inside a C library would
    return Parsed(parse_bytes(data, path), None)


def test_a_worker_that_dies_fails_its_file_and_the_batch_goes_on(store, monkeypatch):
    from nianbao import pipeline

    monkeypatch.setattr(pipeline, "check_file", _die_on_longgang)
    files = [LONGGANG] + [SEEDS / "000_333e33f0e39a8a89.txt", SEEDS / "003_8eb29caa53aa2f11.txt"]
    results = list(ingest(store, files, workers=2))
    assert results[0].status == "failed" and results[0].error["code"] == "internal_error"
    assert Path(LONGGANG).name in results[0].error["message"]
    assert _count(store, S.reports) >= 2  # the others were read (or failed cleanly with the pool)
    monkeypatch.undo()
    again = list(ingest(store, files, workers=1))
    assert again[0].status == "reparsed"  # an internal error is retried
    assert {r.status for r in again[1:]} <= {"unchanged", "reparsed"}


def test_the_originals_lines_are_kept_at_ingest_for_the_source_view(store):
    from nianbao.pipeline import read_lines
    from nianbao.store.source import load_lines

    (res,) = list(ingest(store, [LONGGANG], workers=1))
    kept = load_lines(store, res.report_id)
    doc = read_lines(LONGGANG.read_bytes(), str(LONGGANG))
    assert kept.format == "text" and kept.pages == 0
    assert kept.lines == [(ln.line, ln.page, ln.text) for ln in doc.lines]
    line = get_report(store, res.report_id).report.provenance["tables.requests.new_received.total"].line
    assert "166" in kept.lines[line - 1][2]  # the cell's source line is where the page points
    assert load_lines(store, res.report_id + 1000) is None  # no such report: nothing kept
