"""Agency names: normalised (龙港市人民政府 = 龙港市政府), placed in the administrative hierarchy
(province, city, county, township) with a kind (政府, 部门, 乡镇/街道, 开发区/园区), using the
divisions shipped in ``nianbao/data/regions.csv.gz`` (see :mod:`nianbao.regions`).

A name whose place cannot be told for certain (潘庄镇 exists in several counties) stays
ambiguous: it keeps its own key and lists its candidates, for a person to resolve.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .. import regions as R

KIND_GOVERNMENT = "政府"
KIND_DEPARTMENT = "部门"
KIND_TOWNSHIP = "乡镇/街道"
KIND_ZONE = "开发区/园区"
KINDS = (KIND_GOVERNMENT, KIND_DEPARTMENT, KIND_TOWNSHIP, KIND_ZONE)

_ZONE_WORDS = ("开发区", "园区", "高新区", "新区管委会", "管理委员会", "管委会", "示范区", "试验区", "保税区", "综合保税")
_GOV_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "人民政府", "政府")


@dataclass
class Placement:
    """Where an agency sits. ``key`` is its identity in the corpus (two names with one key are one agency)."""

    key: str
    name: str
    kind: str | None
    placement: str  # placed | ambiguous | unplaced
    region_code: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None
    candidates: list[dict] = field(default_factory=list)

    def row(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "placement": self.placement,
            "region_code": self.region_code,
            "province": self.province,
            "city": self.city,
            "county": self.county,
            "township": self.township,
            "candidates": json.dumps(self.candidates, ensure_ascii=False) if self.candidates else None,
        }


def clean_name(name: str) -> str:
    """Whitespace and full-width forms removed; 人民政府 written 政府 (one form for matching)."""
    s = unicodedata.normalize("NFKC", name or "")
    s = re.sub(r"\s+", "", s)
    s = s.strip("“”\"'《》·:：")
    return s.replace("人民政府", "政府")


_TOWNSHIP_ENDS = ("镇", "乡", "街道", "街道办事处", "办事处", "苏木")


def kind_of(name: str, township: bool) -> str:
    """政府 / 部门 / 乡镇/街道 / 开发区/园区, from the name (``township``: placed at township level)."""
    s = clean_name(name)
    if any(w in s for w in _ZONE_WORDS):
        return KIND_ZONE
    for suffix in ("政府办公室", "政府办公厅", "政府"):
        if s.endswith(suffix):
            head = s[: -len(suffix)]
            return KIND_TOWNSHIP if township or head.endswith(_TOWNSHIP_ENDS) else KIND_GOVERNMENT
    if township or s.endswith(_TOWNSHIP_ENDS):
        return KIND_TOWNSHIP
    return KIND_DEPARTMENT


@lru_cache(maxsize=65536)
def place(name: str) -> Placement:
    """Normalise and place one agency name."""
    s = clean_name(name)
    match = R.locate(s)
    if match is None:
        return Placement(key=s, name=name.strip(), kind=kind_of(s, False), placement="unplaced")
    if len(match.regions) > 1:
        return Placement(
            key=s,
            name=name.strip(),
            kind=kind_of(s, match.regions[0].level == R.TOWNSHIP),
            placement="ambiguous",
            candidates=[r.describe() for r in match.regions[:20]],
        )
    region = match.regions[0]
    residual = match.residual or "政府"
    kind = kind_of(residual if residual != "政府" else s, region.level == R.TOWNSHIP)
    chain = R.chain(region)
    return Placement(
        key=f"{region.code}:{residual}",
        name=name.strip(),
        kind=kind,
        placement="placed",
        region_code=region.code,
        province=chain.get(R.PROVINCE),
        city=chain.get(R.CITY),
        county=chain.get(R.COUNTY),
        township=chain.get(R.TOWNSHIP),
    )
