"""Cells packed one row per report (``cell_packs``): what is stored reads back as it was written."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

from sqlalchemy import inspect, select, text

from nianbao.store import cellpack, migrate, open_store
from nianbao.store import schema as S
from nianbao.model import Report
from nianbao.pipeline import ingest
from nianbao.store.write import store_original

DOCS = Path(__file__).resolve().parents[1] / "documents"


def _store(tmp_path, url=None):
    return open_store(url or tmp_path / "c.db")


def _report(conn, sha: str) -> int:
    """A bare report row (and its original) to hang cells on."""
    store_original(conn, sha, b"x")
    return conn.execute(S.reports.insert().values(sha256=sha, path="x", ingested_at=dt.datetime(2026, 1, 1),
                                                  status="clean", reader_version=1).returning(S.reports.c.id)).scalar_one()


def test_body_round_trip_keeps_nones_raws_and_order(tmp_path):
    store = _store(tmp_path)
    cells = [  # not in path order; None values, raws, lines, pages; a raw holding the separator
        ("tables.requests.new_received.natural_person", 12, "12", 40, 2),
        ("tables.active.regulations.made", None, None, None, None),
        ("tables.appeals.reconsideration.total", 0.5, "0.5\x1fx\x1e", 7, None),
        ("tables.active.fees.amount", 3147.23, "", 9, 1),
    ]
    with store.engine.begin() as conn:
        rid = _report(conn, "a" * 64)
        cellpack.insert(conn, rid, cellpack.body(cells))
        got = cellpack.cells_of(conn, rid)
    assert [c.path for c in got] == sorted(p for p, *_ in cells)
    by = {c.path: c for c in got}
    assert by["tables.requests.new_received.natural_person"].value == 12.0 and by["tables.requests.new_received.natural_person"].line == 40
    assert by["tables.requests.new_received.natural_person"].page == 2 and by["tables.requests.new_received.natural_person"].raw == "12"
    assert by["tables.active.regulations.made"].value is None and by["tables.active.regulations.made"].raw is None
    assert by["tables.active.regulations.made"].line is None and by["tables.active.regulations.made"].page is None
    assert by["tables.appeals.reconsideration.total"].raw == "0.5 x "  # the two markers never survive in a raw text
    assert by["tables.appeals.reconsideration.total"].page is None
    assert by["tables.active.fees.amount"].raw == "" and by["tables.active.fees.amount"].value == 3147.23
    assert all(c.read_value == c.value or (c.value is None and c.read_value is None) for c in got)


def test_a_path_not_in_the_templates_gets_a_new_code(tmp_path):
    store = _store(tmp_path)
    with store.engine.begin() as conn:
        before = conn.execute(select(S.cell_paths.c.code)).scalars().all()
        data = cellpack.code_bytes(conn, ["tables.requests.new_received.natural_person", "tables.requests.zz_new_row.natural_person"])
        after = dict(conn.execute(select(S.cell_paths.c.path, S.cell_paths.c.code)).all())
    assert len(before) == len(cellpack.template_paths())
    assert after["tables.requests.zz_new_row.natural_person"] == max(before) + 1
    assert len(data) == 4


def test_set_values_keeps_the_value_as_read(tmp_path):
    store = _store(tmp_path)
    with store.engine.begin() as conn:
        rid = _report(conn, "b" * 64)
        cellpack.insert(conn, rid, cellpack.body([("tables.requests.new_received.natural_person", 5, "5", 1, None)]))
        cellpack.set_values(conn, rid, {"tables.requests.new_received.natural_person": 7})
        cellpack.set_values(conn, rid, {"tables.requests.new_received.natural_person": 9, "tables.requests.new_received.commercial": 1})
        got = {c.path: c for c in cellpack.cells_of(conn, rid)}
        values = cellpack.values_of(conn, [rid])
        read = cellpack.values_of(conn, [rid], ["tables.requests.new_received.natural_person"], read=True)
    assert got["tables.requests.new_received.natural_person"].value == 9 and got["tables.requests.new_received.natural_person"].read_value == 5
    assert got["tables.requests.new_received.natural_person"].raw == "5"
    assert got["tables.requests.new_received.commercial"].value == 1 and got["tables.requests.new_received.commercial"].read_value is None
    assert values == {rid: {"tables.requests.new_received.commercial": 1.0, "tables.requests.new_received.natural_person": 9.0}}
    assert read == {rid: {"tables.requests.new_received.natural_person": 5.0}}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def _ingest_documents(store, tmp_path, n: int = 40) -> list[int]:
    files = sorted(p for p in DOCS.rglob("*") if p.is_file() and p.suffix in (".txt", ".html", ".md", ".htm"))[:n]
    assert len(files) >= 10
    folder = tmp_path / "in"
    folder.mkdir()
    for i, f in enumerate(files):
        shutil.copy(f, folder / f"{i:03d}{f.suffix}")
    list(ingest(store, [folder], workers=1))
    with store.engine.connect() as conn:
        return conn.execute(select(S.reports.c.id).where(S.reports.c.status != "unreadable").order_by(S.reports.c.id)).scalars().all()


def _packed(conn, rid):
    return [(c.path, c.value, c.read_value, c.raw, c.line, c.page) for c in cellpack.cells_of(conn, rid)]


def test_ingested_real_documents_pack_the_cells_of_their_model(store, tmp_path):
    """Every real test document ingested: each report's pack decodes to the cells and provenance of
    its stored model, in path order."""
    ids = _ingest_documents(store, tmp_path)
    assert len(ids) >= 10
    n_cells = 0
    with store.engine.connect() as conn:
        for rid in ids:
            model = Report.model_validate_json(conn.execute(select(S.reports.c.model).where(S.reports.c.id == rid)).scalar_one())
            expected = []
            for path, value in model.cells():
                p = model.provenance.get(path)
                v = None if value is None else float(value)
                expected.append((path, v, v, p.raw if p else None, p.line if p else None, p.page if p else None))
            expected.sort()
            packed = _packed(conn, rid)
            assert len(packed) == len(expected)
            for a, b in zip(expected, packed):
                assert all(_same(x, y) for x, y in zip(a, b)), (rid, a, b)
            n_cells += len(packed)
    assert n_cells > 1000


def test_the_migration_packs_the_cells_stored_before(store, tmp_path):
    """Down to the schema before packs (0011) and up again: the cells rows made from the packs are
    packed again into the same packs, a corrected value with its value as read."""
    ids = _ingest_documents(store, tmp_path, 12)
    from nianbao.store.overrides import add_override

    with store.engine.connect() as conn:
        path = _packed(conn, ids[0])[3][0]
    add_override(store, ids[0], path, 4242, "核对原文", "tester")
    with store.engine.connect() as conn:
        before = {rid: _packed(conn, rid) for rid in ids}
    assert dict((c[0], c) for c in before[ids[0]])[path][1] == 4242
    migrate.downgrade(store, "0011")  # 0013 makes the cells rows again from the packs, 0012 drops the packs
    assert "cell_packs" not in inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        rows = {rid: [tuple(r) for r in conn.execute(text(
            "SELECT path, value, read_value, raw, line, page FROM cells WHERE report_id = :r ORDER BY path"), {"r": rid})]
            for rid in ids}
    assert {rid: len(v) for rid, v in rows.items()} == {rid: len(v) for rid, v in before.items()}
    store.engine.dispose()  # the codes cached on pooled connections belong to the dropped table
    migrate.upgrade(store)  # 0012 packs the rows, 0013 drops them
    assert "cells" not in inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        after = {rid: _packed(conn, rid) for rid in ids}
    assert after == before
    corrected = dict((c[0], c) for c in after[ids[0]])[path]
    as_read = dict((r[0], r) for r in rows[ids[0]])[path]
    assert corrected[1] == 4242 and as_read[1] == 4242 and corrected[2] == as_read[2] != 4242


def test_arrays_of_many_packs(tmp_path):
    store = _store(tmp_path)
    a, b = "tables.requests.new_received.natural_person", "tables.requests.new_received.commercial"
    with store.engine.begin() as conn:
        r1, r2 = _report(conn, "c" * 64), _report(conn, "d" * 64)
        cellpack.insert(conn, r1, cellpack.body([(a, 3, "3", 1, None), (b, None, None, None, None)]))
        cellpack.insert(conn, r2, cellpack.body([(a, 8, "8", 2, None)]))
        rows = conn.execute(select(S.cell_packs.c.report_id, S.cell_packs.c.codes, S.cell_packs.c.vals)
                            .order_by(S.cell_packs.c.report_id)).all()
        code = cellpack.code_of(conn, [a, b, "tables.requests.nothing.total"])
    ids, codes, vals = cellpack.arrays(rows)
    assert ids.tolist() == [r1, r1, r2]
    assert codes.tolist() == [code[b], code[a], code[a]]  # b sorts before a: commercial < natural_person
    assert math.isnan(vals[0]) and vals[1:].tolist() == [3.0, 8.0]
    assert "tables.requests.nothing.total" not in code


def test_codes_made_in_a_worker_are_the_databases_or_not_used(store):
    """A body made without the database carries the templates' codes; the writer keeps them only
    where the database numbers the templates' paths alike, and looks them up otherwise."""
    a, b = "tables.requests.new_received.natural_person", "tables.requests.new_received.commercial"
    made = cellpack.body([(a, 1, "1", 1, None), (b, 2, "2", 1, None)])
    other = cellpack.body([(a, 1, "1", 1, None), ("tables.requests.zz_new_row.natural_person", 2, "2", 1, None)])
    assert made.codes is not None and other.codes is None  # a path outside the templates: none made
    with store.engine.begin() as conn:
        r1 = _report(conn, "e" * 64)
        cellpack.insert(conn, r1, made)
        assert [c.path for c in cellpack.cells_of(conn, r1)] == [b, a]
        # a database that numbered the paths otherwise (swap two codes): the body's codes are not used
        conn.execute(text("UPDATE cell_paths SET code = -1 WHERE path = :p"), {"p": a})
        conn.execute(text("UPDATE cell_paths SET code = :c WHERE path = :p"), {"c": cellpack.template_codes()[a], "p": b})
        conn.execute(text("UPDATE cell_paths SET code = :c WHERE code = -1"), {"c": cellpack.template_codes()[b]})
        cellpack.codes(conn, reload=True)
        r2 = _report(conn, "f" * 64)
        cellpack.insert(conn, r2, cellpack.body([(a, 1, "1", 1, None), (b, 2, "2", 1, None)]))
        got = {c.path: c.value for c in cellpack.cells_of(conn, r2)}
    assert got == {a: 1.0, b: 2.0}
