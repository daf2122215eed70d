"""The batch writer (ingest's, and ``write_reports`` for reports built in code) stores the same rows
and findings as writing the reports one at a time, whatever their order in the batch; one report
that cannot be written fails alone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from nianbao import pipeline, synth
from nianbao.pipeline import add_report, write_reports
from nianbao.store import open_store
from nianbao.store import schema as S


def _findings(store) -> list[tuple]:
    """Every finding, told by its report's agency and year (ids differ between stores)."""
    r, o, f = S.reports.alias("r"), S.reports.alias("o"), S.findings
    q = (
        select(r.c.agency_raw, r.c.year, f.c.origin, f.c.rule, f.c.cells, f.c.expected, f.c.actual,
               o.c.agency_raw, o.c.year, f.c.message)
        .select_from(f.join(r, f.c.report_id == r.c.id).outerjoin(o, f.c.other_report_id == o.c.id))
    )
    with store.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(q))


def _reports(store) -> list[tuple]:
    r = S.reports
    with store.engine.connect() as conn:
        rows = conn.execute(select(r.c.agency_raw, r.c.year, r.c.status, r.c.n_errors, r.c.n_warnings, r.c.n_infos,
                                   r.c.text_hash, select(S.cell_packs.c.n).where(S.cell_packs.c.report_id == r.c.id)
                                   .scalar_subquery())).all()
    return sorted(tuple(x) for x in rows)


def _one_at_a_time(tmp_path, reports):
    store = open_store(tmp_path / "one.db")
    for rep in reports:
        add_report(store, rep.model_copy(deep=True))
    return store


@pytest.mark.parametrize("order", ["as made", "later years first"])
def test_a_batch_stores_what_one_report_at_a_time_stores(store, tmp_path, order):
    corpus = synth.corpus(6, [2020, 2021, 2022], seed=21, inject=["cross_year"])
    reports = list(corpus) if order == "as made" else list(reversed(corpus.reports))
    one = _one_at_a_time(tmp_path, reports)
    results = list(write_reports(store, [r.model_copy(deep=True) for r in reports]))
    assert [x.status for x in results] == ["new"] * len(reports)
    assert len({x.report_id for x in results}) == len(reports)
    found = _findings(store)
    assert found == _findings(one)
    # the injected cross-year error is among them, on the later report, naming the earlier one
    (inj,) = corpus.injections
    cross = [f for f in found if f[2] == "cross_year" and f[0] == inj.agency and f[1] == inj.year]
    assert cross and all(f[7] == inj.agency and f[8] == inj.year - 1 for f in cross)
    assert _reports(store) == _reports(one)
    one.close()


def test_the_cross_year_pairs_of_a_batch_are_checked_in_worker_processes_alike(store, tmp_path):
    corpus = synth.corpus(4, [2021, 2022, 2023], seed=5, inject=["cross_year"])
    one = _one_at_a_time(tmp_path, corpus.reports)
    list(write_reports(store, [r.model_copy(deep=True) for r in corpus], workers=2))
    assert _findings(store) == _findings(one)
    assert _reports(store) == _reports(one)
    one.close()


def test_a_report_whose_pairs_cannot_be_checked_fails_alone(store, monkeypatch):
    corpus = synth.corpus(3, [2021, 2022], seed=8)
    bad = corpus.reports[3]  # an agency's 2022 report: it has a 2021 report to be paired with
    assert bad.meta.year == 2022
    real = pipeline.check_pair

    def check_pair(earlier, later):
        if later.meta.agency == bad.meta.agency:
            raise RuntimeError("pair check broke")
        return real(earlier, later)

    monkeypatch.setattr(pipeline, "check_pair", check_pair)
    results = list(write_reports(store, corpus.reports))
    failed = [x for x in results if x.status == "failed"]
    assert [x.path for x in failed] == [results[3].path]
    assert failed[0].error["code"] == "internal_error" and "pair check broke" in failed[0].error["message"]
    assert [x.status for x in results if x is not failed[0]] == ["new"] * 5
    r = S.reports
    with store.engine.connect() as conn:
        row = conn.execute(select(r.c.status, r.c.error_code).where(r.c.id == failed[0].report_id)).one()
        n_packs = conn.execute(select(func.count()).select_from(S.cell_packs).where(S.cell_packs.c.report_id == failed[0].report_id)).scalar()
    assert tuple(row) == ("unreadable", "internal_error") and n_packs == 0
    # the next run writes it again
    monkeypatch.setattr(pipeline, "check_pair", real)
    again = list(write_reports(store, [corpus.reports[3]]))
    assert again[0].status == "reparsed" and again[0].report_id == failed[0].report_id
    with store.engine.connect() as conn:
        assert conn.execute(select(r.c.status).where(r.c.id == failed[0].report_id)).scalar() != "unreadable"


def test_findings_rows_keep_their_cells_as_json(store):
    corpus = synth.corpus(2, [2021, 2022], seed=9, inject=["cross_year"])
    list(write_reports(store, corpus.reports))
    with store.engine.connect() as conn:
        cells = conn.execute(select(S.findings.c.cells)).scalars().all()
    assert cells and all(isinstance(json.loads(c), list) for c in cells)
