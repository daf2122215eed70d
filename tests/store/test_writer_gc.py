"""The writer runs the garbage collector less often while it writes, and puts everything back
when it is done, interrupted or not (``ingest.fewer_collections``)."""

from __future__ import annotations

import gc

import pytest

from nianbao import pipeline, synth
from nianbao.store import ingest
from nianbao.store.ingest import fewer_collections, prepare_report, write_prepared


def test_the_thresholds_and_frozen_objects_are_put_back_after_writing(store):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert before[0] < ingest.WRITER_GC_GEN0
    seen = []
    readings = [prepare_report(r) for r in synth.corpus(2, [2021, 2022], seed=4).reports]
    for result in write_prepared(store, readings, pipeline._checks()):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > frozen))
        assert result.status == "new"
    assert seen and all(t == ingest.WRITER_GC_GEN0 for t, _ in seen)  # while writing
    assert frozen > 0 or all(f for _, f in seen)  # what was there before kept out of full collections
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen  # after


def test_an_interrupted_writer_puts_them_back_too(store):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    readings = [prepare_report(r) for r in synth.corpus(2, [2021, 2022], seed=5).reports]
    results = write_prepared(store, readings, pipeline._checks())
    next(results)
    assert gc.get_threshold()[0] == ingest.WRITER_GC_GEN0
    results.close()  # the consumer stops (Ctrl-C, an error): the generator is closed
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_nested_writers_restore_once_the_last_ends():
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold()[0] == ingest.WRITER_GC_GEN0
        assert gc.get_threshold()[0] == ingest.WRITER_GC_GEN0  # the outer writer still writes
    assert gc.get_threshold() == before


def test_objects_frozen_by_someone_else_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with fewer_collections():
            pass
        assert gc.get_freeze_count() > frozen // 2  # not undone by the writer (a frozen object freed meanwhile leaves it)
    finally:
        gc.unfreeze()


@pytest.fixture(autouse=True)
def _clean_gc():
    yield
    assert ingest._GC["writers"] == 0
