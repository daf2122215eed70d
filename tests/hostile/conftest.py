"""The hostile files of ``scripts/make_hostile.py``, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_cases import load_make_hostile


@pytest.fixture(scope="session")
def hostile():
    return load_make_hostile()


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory, hostile) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    hostile.make(out, special=True)
    return out


@pytest.fixture
def test_limits():
    """Limits for the suite: the defaults, with a short time (the slowest harmless files end with
    ``time_limit``, which is a clear error too) and fewer cells (the span bombs fail sooner)."""
    from nianbao import limits

    lim = limits.Limits(seconds=10, cells=50_000)
    limits.configure(lim)
    yield lim
    limits.configure(None)
