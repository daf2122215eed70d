"""How a cell's number is written for people: one formatter for the terminal, the web and exports.

A number is written as a clerk writes it and as the report printed it: ``166`` (never ``166.0``),
``1627.79``, ``3481800`` (never ``3.4818e+06``); never rounded to fewer digits than were read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional, Union

Number = Union[int, float]

# Float sums (1627.79 + 0.01) carry binary noise in the 15th digit; cells are never printed with
# more than a few decimals, so ten keep every printed digit and drop the noise.
_DECIMALS = 10


def format_number(value: Optional[Number], empty: str = "") -> str:
    """``value`` in plain decimal notation; ``empty`` for None (a blank cell)."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer():
            return str(int(value))
        text = format(Decimal(repr(round(value, _DECIMALS))), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
