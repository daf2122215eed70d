"""Batch reading on a Dask cluster (the [distributed] extra): the same results as the local pool."""

import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.store import open_store
from nianbao.pipeline import ingest

distributed = pytest.importorskip("distributed")
SEEDS = sorted((Path(__file__).resolve().parents[2] / "samples" / "seeds").glob("*.txt"))


def test_ingest_on_a_dask_cluster_gives_what_the_local_pool_gives(tmp_path):
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        on_dask = list(ingest(open_store(str(tmp_path / "a.db")), SEEDS, engine=client))
    local = list(ingest(open_store(str(tmp_path / "b.db")), SEEDS, workers=1))
    assert [r.status for r in on_dask] == ["new"] * 5
    assert [(r.path, r.sha256, r.status, r.year) for r in on_dask] == [(r.path, r.sha256, r.status, r.year) for r in local]
    again = list(ingest(open_store(str(tmp_path / "a.db")), SEEDS, workers=1))
    assert [r.status for r in again] == ["unchanged"] * 5


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "nianbao", "ingest", str(SEEDS[0]), "--db", str(tmp_path / "c.db"),
         "--dask", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, timeout=120,
    )
    assert p.returncode == 2
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9" in p.stderr
    assert not p.stdout.strip()
