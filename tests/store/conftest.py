"""Fixtures of the corpus tests: a fresh store per test, on SQLite and, when
``NIANBAO_TEST_PG_URL`` is set (``scripts/pg_test_server.sh``), on PostgreSQL too."""

from __future__ import annotations

import os

import pytest

from nianbao.model import Finding

PG_URL = os.environ.get("NIANBAO_TEST_PG_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _reset_pg(url: str) -> None:
    from sqlalchemy import text

    from nianbao.store.db import make_engine, to_url

    engine = make_engine(to_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    _reset_pg(PG_URL)
    return PG_URL


@pytest.fixture
def store(store_url):
    from nianbao.store import open_store

    s = open_store(store_url)
    yield s
    s.close()


def fake_check_pair(earlier, later):
    """A stand-in cross-year rule (上年结转 = last year's 结转下年度, 总计 column), so the store's
    own machinery is tested whatever the checker does."""
    a = earlier.get("tables.requests.carried_forward.total")
    b = later.get("tables.requests.carried_over.total")
    if a is None or b is None or a == b:
        return []
    return [
        Finding(
            rule="test.carry",
            severity="error",
            message=f"上年结转({b})不等于上年结转下年度({a})",
            cells=["tables.requests.carried_over.total"],
            expected=a,
            actual=b,
            other={"cells": ["tables.requests.carried_forward.total"]},
        )
    ]


@pytest.fixture
def pair_check(monkeypatch):
    """Replace the checker's cross-year rule with :func:`fake_check_pair` (and no per-report checks)."""
    from nianbao import pipeline

    monkeypatch.setattr(pipeline, "check_pair", fake_check_pair)
    monkeypatch.setattr(pipeline, "check_report", lambda r: [])
    return fake_check_pair


@pytest.fixture(params=["adbc", "cursor"])
def reader(request, store, monkeypatch):
    """How the exports read the packed cells (``cell_reader``): through the ADBC driver (SQLite files
    only) or the connection's own cursor; ranges of 3 reports, so that a corpus spans several."""
    from nianbao.store import cell_reader

    monkeypatch.setattr(cell_reader, "RANGE_REPORTS", 3)
    if request.param == "adbc":
        pytest.importorskip("adbc_driver_sqlite")
        if cell_reader.sqlite_file(store) is None:
            pytest.skip("the ADBC driver reads SQLite files only")
    else:
        monkeypatch.setattr(cell_reader, "adbc_available", lambda: False)
    return request.param
