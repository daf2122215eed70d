"""Cross-year pairs checked ahead (``store/pairs_ahead.py``): the pairs a batch makes are guessed
before it is written, checked in another process while it is written, and the findings are those
the writer would have made itself, whether the guess was right, wrong or the worker gone."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import Future

import pytest

from nianbao import pipeline, synth
from nianbao.limits import LimitedPool, WorkerDied
from nianbao.store import open_store
from nianbao.store import pairs_ahead as PA
from nianbao.store.ingest import prepare_report, write_prepared

from test_batch_writer import _findings, _reports  # tests/store is on the path (no package)


def _corpus(seed: int = 31) -> list:
    """Six agencies × five years, shuffled: a report's year before is sometimes stored already,
    sometimes in its own batch, sometimes written after it (the stored later report's pair made
    again)."""
    reports = list(synth.corpus(6, [2019, 2020, 2021, 2022, 2023], seed=seed, inject=["cross_year"]))
    random.Random(seed).shuffle(reports)
    return reports


def _write(store, reports, ahead) -> None:
    # as from worker processes (pickled: a reading travels as its prepared rows and JSON)
    readings = [pickle.loads(pickle.dumps(prepare_report(r.model_copy(deep=True)))) for r in reports]
    for k in range(0, len(readings), 7):  # several calls, as bench_ingest writes its chunks
        assert {x.status for x in write_prepared(store, readings[k:k + 7], pipeline._checks(), ahead=ahead)} == {"new"}


class Recorded(PA.PairsAhead):
    """PairsAhead that counts, for every pair the batches made, whether it had been checked ahead."""

    def __init__(self, *a, **k) -> None:
        super().__init__(*a, **k)
        self.made = self.ahead = 0

    def send(self, r, items):
        sent = super().send(r, items)
        if sent is None:
            return None
        owner, run = self, sent.run

        def counted(check_pair, pairs):
            owner.made += len(pairs)
            guessed = set(sent.pairs)
            owner.ahead += sum(1 for p in pairs if p in guessed)
            return run(check_pair, pairs)

        sent.run = counted
        return sent


@pytest.fixture
def recorded(monkeypatch):
    made: list[Recorded] = []

    def make(check_pair, pool_factory=None):
        p = Recorded(check_pair, pool_factory)
        made.append(p)
        return p

    monkeypatch.setattr("nianbao.store.ingest.PairsAhead", make)
    monkeypatch.setattr(PA.PairsAhead, "MIN_PAIRS", 1)
    return made


def test_pairs_checked_ahead_give_the_findings_the_writer_makes(store, tmp_path, recorded):
    reports = _corpus()
    alone = open_store(tmp_path / "alone.db")
    _write(alone, reports, ahead=False)
    _write(store, reports, ahead=True)
    assert _findings(store) == _findings(alone)
    assert _reports(store) == _reports(alone)
    cross = [f for f in _findings(store) if f[2] == "cross_year"]
    assert cross, "the corpus makes cross-year findings (an injected one at least)"
    # every pair the batches made was guessed and checked ahead: new reports with their year
    # before in the store or in the batch, and stored later years made again
    assert sum(p.made for p in recorded) > 0
    assert sum(p.ahead for p in recorded) == sum(p.made for p in recorded)
    alone.close()


class DeadPool:
    """A pool whose worker dies on every task."""

    hard_seconds = 1.0

    def submit(self, fn, *args, **kw) -> Future:
        f: Future = Future()
        f.set_exception(WorkerDied("gone"))
        return f

    def shutdown(self, **kw) -> None:
        pass


def test_a_worker_that_dies_leaves_the_pairs_to_the_writer(store, tmp_path, monkeypatch):
    made: list[PA.PairsAhead] = []

    def make(check_pair, pool_factory=None):
        p = PA.PairsAhead(check_pair, DeadPool)
        made.append(p)
        return p

    monkeypatch.setattr("nianbao.store.ingest.PairsAhead", make)
    monkeypatch.setattr(PA.PairsAhead, "MIN_PAIRS", 1)
    reports = _corpus(seed=32)
    alone = open_store(tmp_path / "alone.db")
    _write(alone, reports, ahead=False)
    _write(store, reports, ahead=True)
    assert _findings(store) == _findings(alone)
    assert any(p.failed for p in made)
    alone.close()


def test_after_repeated_failures_nothing_more_is_sent(store):
    sent = []

    class Pool(DeadPool):
        def submit(self, fn, *args, **kw):
            sent.append(args)
            return super().submit(fn, *args, **kw)

    ahead = PA.PairsAhead(pipeline._checks().pair, Pool)
    ahead.MIN_PAIRS = 1
    reports = synth.corpus(2, [2021, 2022], seed=3).reports
    _write(store, [reports[0], reports[2]], ahead=False)  # each agency's 2021 report stored
    items = [(r.meta.agency, 2022, r.model_dump_json()) for r in (reports[1], reports[3])]
    from nianbao.store.raw import raw
    from nianbao.store.write import agency_row

    items = [(agency_row(a)[0], y, m) for a, y, m in items]
    with store.engine.connect() as conn:
        for _ in range(PA.PairsAhead.MAX_FAILURES + 2):
            got = ahead.send(raw(conn), items)
            if got is not None:
                assert len(got.pairs) == 2  # each 2022 report with its agency's stored 2021 report
                got.run(pipeline._checks().pair, got.pairs)
    assert len(sent) == PA.PairsAhead.MAX_FAILURES


def test_a_pool_that_cannot_start_its_worker_fails_the_task_instead_of_hanging(monkeypatch):
    pool = LimitedPool(1)

    def cannot_start():
        raise OSError("no more processes")

    monkeypatch.setattr(pool, "_start", cannot_start)
    try:
        fut = pool.submit(len, "abc", path="x.txt")
        with pytest.raises(WorkerDied, match="无法启动"):
            fut.result(timeout=30)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
