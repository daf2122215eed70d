"""End to end: a generated multi-year, multi-agency corpus rendered as text files, ingested through
the reader and the checker, gives the injected cross-year finding, the right coverage and exports."""

from __future__ import annotations

import csv

from nianbao import synth
from nianbao.render.layouts import render
from nianbao.pipeline import ingest
from nianbao.store import coverage, export, iter_findings, list_reports


def test_rendered_corpus_end_to_end(store, tmp_path):
    corpus = synth.corpus(3, [2021, 2022, 2023], seed=4, inject=["cross_year"])
    (inj,) = corpus.injections
    files = tmp_path / "reports"
    files.mkdir()
    skipped = corpus.reports[-1]  # the last agency's 2023 report is "not published"
    for i, r in enumerate(corpus.reports):
        if r is not skipped:
            (files / f"{i:02d}.txt").write_text(render(r, "pipe"), encoding="utf-8")
    results = list(ingest(store, [files], workers=2))
    assert [r.status for r in results] == ["new"] * 8
    ids = {(s.agency_raw, s.year): s.id for s in list_reports(store, limit=None)}
    assert set(ids) == {(r.meta.agency, r.meta.year) for r in corpus.reports if r is not skipped}

    carried = [f for f in iter_findings(store, rule="pair.carried_over")]
    assert [(f["agency"], f["year"]) for f in carried] == [(inj.agency, inj.year)]
    f = carried[0]
    assert f["report_id"] == ids[(inj.agency, inj.year)]
    assert f["other"] == {
        "report_id": ids[(inj.agency, inj.year - 1)],
        "year": inj.year - 1,
        "cells": ["tables.requests.carried_forward.natural_person", "tables.requests.carried_forward.total"],
    }
    assert f["cells"] == ["tables.requests.carried_over.natural_person", "tables.requests.carried_over.total"]

    cov = coverage(store, 2023)
    assert cov["missing"] == [{"agency": skipped.meta.agency}]
    assert sorted(p["report_id"] for p in cov["published"]) == sorted(
        ids[(r.meta.agency, 2023)] for r in corpus.reports if r.meta.year == 2023 and r is not skipped
    )

    export(store, tmp_path / "wide.csv", shape="wide")
    with open(tmp_path / "wide.csv", encoding="utf-8-sig") as fh:
        rows = {(row["agency_printed"], int(row["year"])): row for row in csv.DictReader(fh)}
    for r in corpus.reports:
        if r is skipped:
            continue
        row = rows[(r.meta.agency, r.meta.year)]
        for path in ("tables.requests.new_received.total", "tables.requests.carried_forward.total",
                     "tables.appeals.reconsideration.total"):
            assert row[path] == str(r.get(path)), (r.meta.agency, r.meta.year, path)
