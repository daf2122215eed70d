"""The fast write path of issue 14: what a worker hands the writer, a batch where one report cannot
be written, counts and review records against a slow recomputation, WAL checkpoints off the writer."""

from __future__ import annotations

import json
import os
import pickle
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nianbao import pipeline, synth
from nianbao.pipeline import ingest, write_reports
from nianbao.render import layouts as L
from nianbao.store import ingest as I
from nianbao.store import cellpack, open_store
from nianbao.store import schema as S
from nianbao.store.review import finding_key

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
LONGGANG = SEEDS / "004_09848c8a4e14a3e3.txt"


def test_a_reading_from_a_worker_travels_without_its_report_and_is_made_again_alike():
    data = LONGGANG.read_bytes()
    parsed = I.read_file(pipeline.check_file, data, str(LONGGANG))
    assert parsed.readable and parsed.prepared is not None
    wire = pickle.dumps(parsed)
    assert b"Provenance" not in wire  # no pydantic object crosses: the report is in prepared.model
    back = pickle.loads(wire)
    assert back.readable and back._report is None and back._lines is None
    assert back.prepared.agency_raw == parsed.report.meta.agency and back.prepared.year == parsed.report.meta.year
    # made again when asked for: the same report, findings and numbered lines
    assert back.report.model_dump(mode="json") == parsed.report.model_dump(mode="json")
    assert [f.model_dump() for f in back.report.findings] == [f.model_dump() for f in parsed.report.findings]
    assert back.report.findings  # the seed has findings: the comparison above is not of two empty lists
    assert back.lines == [list(x) for x in parsed.lines]
    # the cells packed: every cell of the report once, in path order
    paths = back.prepared.pack.paths
    assert paths == sorted(paths) and sorted(paths) == sorted(str(p) for p, _ in parsed.report.cells())


def test_a_failed_reading_travels_whole():
    bad = I.read_file(pipeline.check_file, b"", "empty.txt")
    back = pickle.loads(pickle.dumps(bad))
    assert not back.readable and back.report is None and back.error == bad.error and back.error["code"]


def _files(folder: Path, n: int, seed: int = 3) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = synth.report(rng.getrandbits(32))
        p = folder / f"{i:03d}.txt"
        p.write_text(L.render(r, L.LAYOUTS[i % len(L.LAYOUTS)], random.Random(rng.getrandbits(32))), encoding="utf-8")
        out.append(p)
    return out


def _cells(store, report_id: int) -> int:
    with store.engine.connect() as conn:
        return cellpack.count(conn, report_id)


def _count(store, table, **where) -> int:
    q = select(func.count()).select_from(table)
    for k, v in where.items():
        q = q.where(table.c[k] == v)
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one()


def test_one_report_that_cannot_be_written_fails_alone_inside_its_batch(store, tmp_path, monkeypatch):
    files = _files(tmp_path, 6)
    real = I.write_new

    def write_new(conn, sha, path, data, prep):
        if path.endswith("002.txt"):
            real(conn, sha, path, data, prep)  # its rows written, then the failure: all rolled back
            raise ValueError("disk says no")
        return real(conn, sha, path, data, prep)

    monkeypatch.setattr(I, "write_new", write_new)
    results = list(ingest(store, files, workers=1))  # one batch of six
    assert [r.status for r in results] == ["new", "new", "failed", "new", "new", "new"]
    assert results[2].error["code"] == "internal_error" and "disk says no" in results[2].error["message"]
    bad = results[2].report_id
    assert _count(store, S.cell_packs, report_id=bad) == 0 and _count(store, S.findings, report_id=bad) == 0
    assert _count(store, S.text_bands, report_id=bad) == 0 and _count(store, S.source_lines, report_id=bad) == 0
    for r in results[:2] + results[3:]:  # the others whole
        assert _cells(store, r.report_id) > 100
        assert _count(store, S.source_lines, report_id=r.report_id) == 1
    _no_orphans(store)
    monkeypatch.undo()
    again = list(ingest(store, files, workers=1))
    assert [r.status for r in again] == ["unchanged"] * 2 + ["reparsed"] + ["unchanged"] * 3
    assert again[2].report_id == bad and _cells(store, bad) > 100


def _no_orphans(store) -> None:
    """Every row's parent exists (the batch writer's SQLite connection leaves the check to the others)."""
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def _slow_truth(store) -> tuple[dict, dict, set]:
    """Counts by severity per report, and every finding's id, made the slow way from the findings."""
    with store.engine.connect() as conn:
        findings = conn.execute(select(S.findings).order_by(S.findings.c.report_id, S.findings.c.id)).all()
        reports = conn.execute(select(S.reports.c.id, S.reports.c.error_code, S.reports.c.reading)).all()
    counts = {r.id: {"error": 0, "warning": 0, "info": 0} for r in reports}
    keys, seen = {}, {}
    for f in findings:
        counts[f.report_id][f.severity] += 1
        cells = json.loads(f.cells)
        base = (f.report_id, f.rule, tuple(sorted(cells)))
        seen[base] = seen.get(base, 0) + 1
        keys[f.id] = finding_key(f.report_id, f.rule, cells, seen[base])
    status = {}
    for r in reports:
        status[r.id] = ("unreadable" if r.error_code else "errors" if counts[r.id]["error"]
                        else "partial" if r.reading == "partial" else "clean")
    return counts, status, keys


def test_counts_status_and_review_records_equal_a_slow_recomputation(store):
    from nianbao.check import check_report

    corpus = synth.corpus(8, [2020, 2021, 2022], seed=31, inject=["identity", "cross_year", "copy"])
    for r in corpus.reports:
        r.findings = check_report(r)
    list(write_reports(store, corpus.reports))
    counts, status, keys = _slow_truth(store)
    with store.engine.connect() as conn:
        rows = conn.execute(select(S.reports.c.id, S.reports.c.n_errors, S.reports.c.n_warnings, S.reports.c.n_infos,
                                   S.reports.c.status)).all()
        stored_keys = dict(conn.execute(select(S.findings.c.id, S.findings.c.key)).all())
        reviews = {r.key: r for r in conn.execute(select(S.finding_reviews))}
    assert len(rows) == 24 and sum(c["error"] + c["warning"] + c["info"] for c in counts.values()) > 0
    assert any(c["error"] for c in counts.values()) and "errors" in status.values()  # the injected identity error
    with store.engine.connect() as conn:
        origins = set(conn.execute(select(S.findings.c.origin).distinct()).scalars())
    assert {"check", "cross_year"} <= origins
    for r in rows:
        assert (r.n_errors, r.n_warnings, r.n_infos) == (counts[r.id]["error"], counts[r.id]["warning"], counts[r.id]["info"])
        assert r.status == status[r.id]
    assert stored_keys == keys
    assert set(reviews) == set(keys.values())  # one review record per finding, open and active
    assert all(v.state == "open" and v.active for v in reviews.values())
    _no_orphans(store)


@pytest.mark.skipif(os.name != "posix", reason="file sizes of a live SQLite database")
def test_the_wal_is_checkpointed_into_the_database_while_the_writer_writes(tmp_path):
    db = tmp_path / "c.db"
    store = open_store(db)
    try:
        before = db.stat().st_size
        corpus = synth.corpus(6, [2021, 2022], seed=4)
        assert len(list(write_reports(store, corpus.reports))) == 12
        # the writer's own commits checkpoint only past 64 MB: the pages reached the database file
        # through the checkpoint thread (the store is still open, so no closing checkpoint did it)
        assert Path(f"{db}-wal").exists()
        assert db.stat().st_size > before + 12 * 20_000
    finally:
        store.close()
