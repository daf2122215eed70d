"""The normalised text of a report (``store.similarity``): what the copied-text and duplicate
searches compare, and the digest they store (``reports.text_hash``)."""

from __future__ import annotations

import os
import subprocess
import sys

from nianbao.model import Meta, Report, Sections, Source
from nianbao.store import similarity as sim

TEXT = "某某市人民政府发布某某市政府工作，某某市2021年。"


def _report(agency: str) -> Report:
    return Report(source=Source(path="a.txt", sha256="x", format="text"), meta=Meta(agency=agency, year=2021),
                  sections=Sections(overview=TEXT))


def test_the_agencys_names_are_blanked_the_longest_first():
    # 某某市人民政府, then 某某市政府, then 某某市; digits and punctuation dropped
    assert sim.normalised_text(_report("某某市人民政府")) == "发布工作年"


def test_the_normalised_text_is_the_same_in_every_process():
    code = ("from nianbao.model import *; from nianbao.store import similarity as sim; "
            f"print(sim.normalised_text(Report(source=Source(path='a', sha256='x', format='text'), "
            f"meta=Meta(agency='某某市人民政府'), sections=Sections(overview={TEXT!r}))))")
    seen = set()
    for seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        seen.add(out.stdout.strip())
    assert seen == {"发布工作年"}


def test_the_texts_kept_are_bounded_by_their_size_least_recently_used_dropped_first():
    from nianbao.store.similarity import TextCache

    cache = TextCache(100, chars=10)
    cache.put("a", "甲" * 4)
    cache.put("b", "乙" * 4)
    assert cache.get("a") == "甲" * 4  # a used: b is now the least recent
    cache.put("c", "丙" * 4)  # 12 characters > 10: b dropped, not a
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    assert cache.held == 8
    cache.put("a", "甲")  # a text put again replaces its size
    assert cache.held == 5
    cache.put("d", "丁" * 20)  # larger than the budget alone: kept, all others dropped
    assert [k for k in ("a", "c", "d") if cache.get(k)] == ["d"] and cache.held == 20
    counted = TextCache(2)  # without a budget of characters: by number
    for k in "xyz":
        counted.put(k, "文" * 1000)
    assert counted.get("x") is None and counted.get("y") and counted.get("z")
