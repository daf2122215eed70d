"""Stage 6 (part of meta): the agency when no title or signature names it, and a likely name when
the printed one looks misread.

* **Inferred** (spec §8 ``reading.inferred``): a report without a title may still say who wrote it
  in its body (``高陵区紧扣工作重点…``, ``我区…``) and its footer (``陕公网安备61012602000021号``, whose
  first six digits are the area code). A place named in the body whose kind matches the body's own
  self-reference (我区 → a 区), and that is an administrative division, gives the body's people's
  government. The value is marked inferred: shown, stored, never used to blame anyone.
* **Suggested** (``reading.suggested``): an agency whose leading place name is no division, but is
  one character away from exactly one division of the same kind (OCR: 沐阳县 for 沭阳县), gets that
  division's name as a suggestion. Never applied.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .. import regions as R

_KINDS = ("街道", "区", "县", "市", "镇", "乡")
_SELF = re.compile(r"[我本](街道|区|县|市|镇|乡)(?![长委级属])")
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,6}?(?:街道|区|县|市|镇|乡))")
_POLICE = re.compile(r"公网安备\s*(\d{6})")
_LEADING = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:街道|区|县|市|镇|乡))")
# a department speaking of itself (我局, 本委 …): its report is not its government's
_DEPARTMENT_SELF = re.compile(r"[我本](局|委|办|厅|中心|所|院|部门|单位|公司|处|站|队)(?![长])")


def _government(region: R.Region) -> str:
    """The people's government (or sub-district office) of a division, with its parents' names."""
    chain = R.chain(region)
    parts = [chain[lvl] for lvl in (R.CITY, R.COUNTY, R.TOWNSHIP) if lvl in chain and lvl != R.PROVINCE]
    if region.level == R.CITY:
        parts = [chain[R.CITY]]
    name = "".join(dict.fromkeys(parts))
    return name + ("办事处" if region.name.endswith("街道") else "人民政府")


def _places_named(text: str) -> Counter:
    """How often each administrative division is named in the text: the longest division name
    (three characters or more) that ends each place-like match (高陵区 in 围绕区委高陵区 …)."""
    idx = R.index()
    places: Counter = Counter()
    for m in _PLACE.finditer(text):
        name = m.group(1)
        for start in range(len(name) - 1):
            cand = name[start:]
            if cand in idx.by_name and len(cand) >= 3:
                places[cand] += 1
                break
    return places


def infer_agency(text: str) -> tuple[str, str] | None:
    """(agency, evidence) from a report's body and footer, or None when nothing is certain."""
    kinds = Counter(m.group(1) for m in _SELF.finditer(text))
    if len(_DEPARTMENT_SELF.findall(text)) >= max(1, sum(kinds.values())):
        return None
    places = _places_named(text)
    if not places:
        return None
    police = {m.group(1) for m in _POLICE.finditer(text)}
    idx = R.index()
    ranked = places.most_common()
    for name, count in ranked:
        kind = next(k for k in _KINDS if name.endswith(k))
        regions = [r for r in idx.by_name[name] if r.level in (R.CITY, R.COUNTY, R.TOWNSHIP)]
        if len(regions) != 1:
            continue
        region = regions[0]
        corroborated = [c for c in police if c.startswith(region.code[:6]) or region.code.startswith(c[:4])]
        if kinds.get(kind) or count >= 3 or corroborated:
            if count < ranked[0][1]:
                return None  # another place is named more often: not certain
            evidence = f"正文{count}次提到“{name}”" + (f"，并自称“我{kind}”" if kinds.get(kind) else "")
            if corroborated:
                evidence += "，页脚公网安备号的地区代码与之相符"
            return _government(region), evidence
        break
    return None


@lru_cache(maxsize=1)
def _by_shape() -> dict[tuple[int, str], list[str]]:
    out: dict[tuple[int, str], list[str]] = {}
    for name in R.index().by_name:
        kind = next((k for k in _KINDS if name.endswith(k)), None)
        if kind and len(name) >= 3:
            out.setdefault((len(name), kind), []).append(name)
    return out


def suggest_agency(agency: str) -> str | None:
    """A likely division name where a place name in the agency (after the divisions it starts
    with) is no division but one character away from exactly one division of the same length and
    kind inside them: 江苏省沐阳县人民政府 → 江苏省沭阳县人民政府."""
    located = R.locate(agency)
    done = len(agency) - len(located.residual) if located else 0
    m = _LEADING.match(agency[done:])
    if not m:
        return None
    place = m.group(1)
    if place in R.index().by_name:
        return None
    kind = next(k for k in _KINDS if place.endswith(k))
    parents = located.regions if located else []
    close = []
    for name in _by_shape().get((len(place), kind), []):
        if sum(a != b for a, b in zip(name, place)) != 1:
            continue
        if parents and not any(R.is_within(r, p) for r in R.index().by_name[name] for p in parents):
            continue
        close.append(name)
    if len(close) != 1:
        return None
    return agency[:done] + close[0] + agency[done + len(place):]
