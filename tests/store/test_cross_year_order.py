"""Which report a report's cross-year pair is made with, when an agency has several reports in one
year (another agency of the same name, a revised report whose text differs): a function of the
reports' ids alone (``relations.earlier_of``), so the same pairs whatever the order of writing, the
batches or the path (the batch writer, one report at a time)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nianbao import synth
from nianbao.pipeline import add_report, write_reports
from nianbao.store import ingest as I
from nianbao.store import open_store
from nianbao.store import schema as S
from nianbao.store.relations import earlier_of


def test_earlier_of_by_hand():
    # one report a year: the previous year's latest
    assert earlier_of([3], [5], 5) == 3
    assert earlier_of([3, 9], [5], 5) == 9  # a previous-year report stored after it still counts
    assert earlier_of([], [5], 5) is None
    # two reports of the year, 5 then 8; the previous year's 3, 6 and 9
    prev, same = [3, 6, 9], [5, 8]
    assert earlier_of(prev, same, 8) == 9  # the latest of its year: the latest of the year before
    assert earlier_of(prev, same, 5) == 6  # the latest of the year before when 8 came
    assert earlier_of([6, 9], same, 5) == 6
    assert earlier_of([9], same, 5) is None  # nothing of the year before until 8 came
    assert earlier_of([1, 2], same, 5) == 2


def _reports(seed_names: list[tuple[int, str]]) -> list:
    """Generated reports of a few agencies, several generated corpora under the same two names:
    several reports of one agency a year, told apart by their text."""
    out = []
    for seed, name in seed_names:
        for r in synth.corpus(1, [2020, 2021, 2022, 2023], seed=seed).reports:
            r.meta.agency = name
            out.append(r)
    return out


A, B = "宁海县教育局", "宁海县财政局"
SEEDS = [(11, A), (12, B), (13, A), (14, A), (15, B), (16, A)]


def _pairs(store) -> list[tuple]:
    f = S.findings
    with store.engine.connect() as conn:
        return sorted(tuple(x) for x in conn.execute(
            select(f.c.report_id, f.c.other_report_id, f.c.rule, f.c.cells, f.c.expected, f.c.actual)
            .where(f.c.origin == "cross_year")))


def _groups(store) -> dict:
    r = S.reports
    groups: dict = {}
    with store.engine.connect() as conn:
        for rid, a, y in conn.execute(select(r.c.id, r.c.agency_id, r.c.year).where(r.c.status != "unreadable")
                                      .order_by(r.c.id)):
            groups.setdefault((a, y), []).append(rid)
    return groups


def _orders(reports):
    by_year = sorted(reports, key=lambda r: -r.meta.year)  # later years first: every pair made again later
    mixed = reports[::2] + reports[1::2]
    return {"as made": reports, "later years first": by_year, "mixed": mixed}


@pytest.mark.parametrize("order", ["as made", "later years first", "mixed"])
def test_pairs_do_not_depend_on_batches_or_path(tmp_path, monkeypatch, order):
    reports = _orders(_reports(SEEDS))[order]
    stores = {}
    for batch in (64, 3, 1):
        monkeypatch.setattr(I, "BATCH", batch)
        stores[batch] = open_store(tmp_path / f"batch{batch}.db")
        assert all(x.status == "new" for x in write_reports(stores[batch], [r.model_copy(deep=True) for r in reports]))
    one = open_store(tmp_path / "one.db")
    for r in reports:
        add_report(one, r.model_copy(deep=True))
    groups = _groups(one)
    assert max(len(ids) for ids in groups.values()) >= 3  # several reports of one agency a year
    pairs = _pairs(one)
    assert pairs  # the generated reports break cross-year rules
    for batch, store in stores.items():
        assert _pairs(store) == pairs, f"batches of {batch}"
    # every pair made is the one earlier_of names, from the reports stored in the end
    by_id = {rid: key for key, ids in groups.items() for rid in ids}
    for rid, other, *_ in pairs:
        a, y = by_id[rid]
        assert other == earlier_of(groups.get((a, y - 1), []), groups[(a, y)], rid)


def test_a_later_report_keeps_its_pair_when_another_of_its_year_is_rewritten(tmp_path):
    """Re-checking one report (refresh_cross_year, as a correction or a reread does) makes again
    the pairs of every report of its agency's year and the next: none is left without its pair."""
    from nianbao import pipeline
    from nianbao.store import relations

    reports = _reports(SEEDS)
    store = open_store(tmp_path / "c.db")
    list(write_reports(store, [r.model_copy(deep=True) for r in reports]))
    before = _pairs(store)
    groups = _groups(store)
    ids = next(v for k, v in sorted(groups.items(), key=repr) if len(v) >= 3 and k[1] == 2021)
    with store.engine.begin() as conn:
        relations.refresh_cross_year(conn, ids[0], pipeline._checks().pair)
    assert _pairs(store) == before
