"""What a table cell's text means as a number.

``/``, ``-``, ``—``, ``－``, ``无`` and ``0`` are the value 0 (spec §2, cell values); a thousands
separator is dropped; a decimal stays a decimal; a unit after the number (件, 元, 万元) is allowed.
A number is the number printed: nothing here repairs or rounds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ZERO_MARKS = frozenset({"/", "-", "—", "－", "–", "--", "——", "－－", "无", "／", "\\"})
_NUMBER = re.compile(
    r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<unit>件|个|项|条|次|宗|元|万元|万)?$"
)
DIGIT_RUN = re.compile(r"^\d+$")


@lru_cache(maxsize=65536)
def parse_number(raw: str) -> int | float | None:
    """The value of a cell's text, or None when the text is not a number (a label, a blank)."""
    t = unicodedata.normalize("NFKC", raw).strip()  # NFKC turns NBSP and ideographic space into " "
    if not t:
        return None
    if t in ZERO_MARKS or raw.strip() in ZERO_MARKS:
        return 0
    m = _NUMBER.match(t)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    if "." in num:
        return float(num)
    return int(num)


def is_number(raw: str) -> bool:
    return parse_number(raw) is not None


def is_blank(raw: str) -> bool:
    """A cell that holds only spaces (NBSP, ideographic space …)."""
    if not raw or raw.isspace():
        return True
    if raw.isascii():
        return False
    return unicodedata.normalize("NFKC", raw).strip() == ""
