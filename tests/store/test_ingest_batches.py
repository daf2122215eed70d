"""How ingest cuts its files into batches: the window of files held, and the last batches."""

from __future__ import annotations

from pathlib import Path

from nianbao.pipeline import ingest
from nianbao.store import ingest as I

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"


def test_the_last_batches_halve_down_to_one_report():
    # once every file is submitted, a batch waits for half of those left (at most MIN_BATCH = 32)
    assert I.MIN_BATCH == 32
    assert I._drain(200, local=False) == 32
    assert I._drain(64, local=False) == 32
    assert I._drain(40, local=False) == 20
    assert I._drain(5, local=False) == 2
    assert I._drain(1, local=False) == 1
    # read in this process: a batch is read whole before it is written, as before
    assert I._drain(5, local=True) == 32


def test_files_over_the_byte_window_are_written_as_they_come(store, monkeypatch):
    # every file is over the window: the files held are written before the next is read, and the
    # results are still one per file, in input order, a file met twice being the first one's report
    monkeypatch.setattr(I, "WINDOW_BYTES", 1)
    names = sorted(p.name for p in SEEDS.iterdir())
    out = list(ingest(store, [SEEDS, SEEDS], workers=2))
    assert [Path(r.path).name for r in out] == names + names
    assert [r.status for r in out] == ["new"] * 5 + ["unchanged"] * 5
    assert [r.report_id for r in out[5:]] == [r.report_id for r in out[:5]]
    assert len({r.report_id for r in out}) == 5
