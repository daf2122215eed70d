"""Rates over many reports (公开率, 纠错率 …) told honestly: with their numerator and denominator, a
95 % Wilson score interval, and hidden below a minimum denominator, so that a township with 2
requests is never ranked above a city with 2,000.

The metrics themselves (which cells are the numerator and the denominator) are defined once in
:mod:`nianbao.metrics`; this module only adds them up over units and states their uncertainty.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

MIN_N_ENV = "NIANBAO_MIN_N"
DEFAULT_MIN_N = 10
Z95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval

# the rates the UI ranks: proportions whose numerator is part of the denominator
RANKED = ("disclosure_rate", "reconsideration_correction_rate", "litigation_correction_rate")


def default_min_n() -> int:
    """The minimum denominator below which a unit is not ranked: ``$NIANBAO_MIN_N`` or 10."""
    raw = os.environ.get(MIN_N_ENV, "").strip()
    return int(raw) if raw.isdigit() else DEFAULT_MIN_N


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of the proportion k/n; None when n is 0 or k is not within 0…n."""
    if n <= 0 or k < 0 or k > n:
        return None
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return max(0.0, center - half), min(1.0, center + half)


@dataclass
class Rate:
    """One unit's rate: numerator k over denominator n, with its 95 % interval.

    ``ranked`` is False when n is below the minimum (the rate is then shown as 样本不足, not ranked);
    ``interval`` is None when the figures are not a proportion (k > n: the reports' own totals disagree).
    """

    unit: str
    k: float
    n: float
    reports: int
    min_n: int = DEFAULT_MIN_N

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.k, self.n)

    @property
    def ranked(self) -> bool:
        return self.n >= self.min_n and self.value is not None

    def to_json(self) -> dict:
        iv = self.interval
        return {
            "unit": self.unit, "numerator": _int(self.k), "denominator": _int(self.n), "reports": self.reports,
            "rate": self.value, "low": iv[0] if iv else None, "high": iv[1] if iv else None, "ranked": self.ranked,
        }


def _int(v: float):
    return int(v) if float(v).is_integer() else v


def rank(rates: list[Rate]) -> tuple[list[Rate], list[Rate]]:
    """(ranked units by rate, highest first, then by the larger denominator; units below the minimum)."""
    shown = sorted((r for r in rates if r.ranked), key=lambda r: (-r.value, -r.n, r.unit))
    hidden = sorted((r for r in rates if not r.ranked), key=lambda r: (-r.n, r.unit))
    return shown, hidden


def percent(v: float | None, digits: int = 1) -> str:
    """A proportion as a Chinese percentage text (``—`` when unknown)."""
    return "—" if v is None else f"{100 * v:.{digits}f}%"
