"""``scripts/make_hostile.py`` loaded as a module (scripts/ is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_make_hostile():
    if "make_hostile" in sys.modules:
        return sys.modules["make_hostile"]
    spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "scripts" / "make_hostile.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod
