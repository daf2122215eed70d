"""China's administrative divisions, shipped in ``nianbao/data/regions.csv.gz`` (built by
``scripts/build_regions.py``; sources credited in ``nianbao/data/NOTICE-regions``).

Each row: ``code,name,level,parent``. Levels: province (2-digit code), city (4), county (6),
township (9). Loaded once, on first use; nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "regions.csv.gz"

PROVINCE, CITY, COUNTY, TOWNSHIP = "province", "city", "county", "township"
LEVELS = (PROVINCE, CITY, COUNTY, TOWNSHIP)
LEVEL_LABEL = {PROVINCE: "省", CITY: "市", COUNTY: "县", TOWNSHIP: "乡镇"}

# Placeholder names of the statistical codes, never part of an agency name.
_NOT_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent: str | None

    def describe(self) -> dict:
        c = chain(self)
        return {"code": self.code, "name": self.name, "level": self.level, **c}


@dataclass
class Index:
    by_code: dict[str, Region]
    by_name: dict[str, list[Region]]


@dataclass
class Match:
    regions: list[Region]  # one when placed; several when ambiguous
    residual: str  # what follows the region names (教育局, 政府, …)


def _load_rows() -> list[Region]:
    if not DATA.exists():
        return []
    with gzip.open(DATA, "rb") as f:
        text = f.read().decode("utf-8")
    lines = text.splitlines()
    if lines[0] != "code,name,level,parent" or any('"' in line for line in lines[:50]):
        reader = csv.DictReader(io.StringIO(text))  # a file with quoting: the careful reader
        return [Region(r["code"], r["name"], r["level"], r["parent"] or None) for r in reader]
    out = []
    for line in lines[1:]:  # plain rows: 44,000 of them split in a tenth of the time csv takes
        code, name, level, parent = line.split(",")
        out.append(Region(code, name, level, parent or None))
    return out


@lru_cache(maxsize=1)
def index() -> Index:
    by_code: dict[str, Region] = {}
    by_name: dict[str, list[Region]] = {}
    for r in _load_rows():
        by_code[r.code] = r
        if r.name in _NOT_NAMES:
            continue
        names = {r.name}
        if r.level == PROVINCE:
            for suf in _PROVINCE_SUFFIXES:
                if r.name.endswith(suf) and len(r.name) - len(suf) >= 2:
                    names.add(r.name[: -len(suf)])
                    break
        if r.level == TOWNSHIP and len(r.name) == 2 and r.name.endswith(("镇", "乡")):
            names.add(r.name + r.name[-1])  # 翟镇 is also written 翟镇镇
        for n in names:
            by_name.setdefault(n, []).append(r)
    return Index(by_code, by_name)


def chain(region: Region) -> dict[str, str]:
    """The names of a region and its ancestors by level: ``{"province": …, "city": …, …}``."""
    out: dict[str, str] = {}
    idx = index()
    r: Region | None = region
    while r is not None:
        if r.name not in _NOT_NAMES:
            out[r.level] = r.name
        r = idx.by_code.get(r.parent) if r.parent else None
    return out


def is_within(region: Region, ancestor: Region) -> bool:
    return region.code != ancestor.code and region.code.startswith(ancestor.code)


def locate(name: str) -> Match | None:
    """The regions a (cleaned) agency name starts with, most specific last: 乳山市乳山寨镇政府 →
    乳山寨镇 of 乳山市, residual 政府. None when the name starts with no known region."""
    idx = index()
    if not idx.by_name:
        return None
    pos = 0
    cands: list[Region] | None = None
    while pos < len(name):
        step = None
        for length in range(min(16, len(name) - pos), 1, -1):
            regs = idx.by_name.get(name[pos : pos + length])
            if not regs:
                continue
            if cands is not None:
                regs = [r for r in regs if any(is_within(r, c) for c in cands)]
            if regs:
                step = (length, regs)
                break
        if step is None:
            break
        pos += step[0]
        cands = step[1]
    if cands is None:
        return None
    # Keep the most specific candidates only (a 市 named like its 区 …).
    return Match(sorted(cands, key=lambda r: r.code), name[pos:])


def find(name: str) -> list[Region]:
    """Regions with exactly this name (for ``--region``)."""
    return list(index().by_name.get(name, []))


def within(code: str, region_code: str | None) -> bool:
    """True when the region ``region_code`` is ``code`` or lies inside it."""
    return region_code is not None and region_code.startswith(code)
