"""The hostile files of ``scripts/make_hostile.py``, made once per test session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_make_hostile():
    if "make_hostile" in sys.modules:
        return sys.modules["make_hostile"]
    spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "scripts" / "make_hostile.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = mod
    spec.loader.exec_module(mod)
    return mod


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
