"""What an agency's name says about it: level of government, rule-making power.

Simple rules on the name (``meta.agency``); ``None`` where the name does not tell. Used for the
规章 rule (立法法: only 国务院部门 and 省级 / 设区的市级 people's governments make 规章) and for the
publication deadline (条例第四十九条: 本级政府 reports by 3月31日, departments by 1月31日).
"""

from __future__ import annotations

import re

# The last administrative unit named: 省, 自治区, 市, 州, 盟, 县, 区, 旗, 乡, 镇, 街道.
_UNIT = re.compile(r"(自治区|自治州|自治县|特别行政区|街道|省|市|州|盟|县|区|旗|乡|镇)")
# words that contain a unit character without naming a unit (市场监督管理局, 住房和城乡建设局 …)
_NOT_A_UNIT = (
    "社区", "园区", "景区", "城区管理", "保护区", "片区", "辖区", "区域", "市场", "城市", "市政", "市容", "市民",
    "城乡", "乡村", "城镇", "县域",
)


def _clean(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    for word in _NOT_A_UNIT:
        name = name.replace(word, "")
    return name


def last_unit(agency: str | None) -> str | None:
    """The lowest administrative unit the name mentions (``"镇"``, ``"区"`` …), or None."""
    if not agency:
        return None
    units = _UNIT.findall(_clean(agency))
    return units[-1] if units else None


def is_government(agency: str | None) -> bool | None:
    """True when the agency is a 人民政府 itself (not one of its departments or offices)."""
    if not agency:
        return None
    name = _clean(agency)
    if name.endswith("人民政府"):
        return True
    if last_unit(name) in ("乡", "镇") and name.endswith(("乡", "镇")):
        return True  # a township named without 人民政府 (潘庄镇)
    return False


def lacks_rule_making_power(agency: str | None) -> bool | None:
    """True for 乡镇、街道, 县级 governments and their departments; None when the name does not tell.

    A 市 may be 设区的市 (it makes 规章) or a 县级市 (it does not), so a 市 alone is undecided.
    """
    unit = last_unit(agency)
    if unit in ("乡", "镇", "街道", "县", "区", "旗", "自治县"):
        return True
    return None
