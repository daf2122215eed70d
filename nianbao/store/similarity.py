"""Near-identical report text (the copying the 2021 notice sanctions), found without comparing
every pair: a 64-bit simhash of the chapters' text, split into four 16-bit bands kept in
``text_bands``. Two texts whose hashes differ in at most 3 bits share at least one band
(pigeonhole), so the candidates are the reports sharing a band; each candidate is then confirmed
on the texts themselves with rapidfuzz.

The text compared is the six chapters with digits, whitespace and punctuation removed and the
agency's own name blanked, so a report copied with only the name and the figures changed is found.
"""

from __future__ import annotations

import hashlib
import re

from rapidfuzz import fuzz

from ..model import Report

MIN_CHARS = 400  # shorter texts (boilerplate-only reports) are not compared
MAX_BITS = 3  # simhash distance that makes two texts candidates
MIN_RATIO = 95.0  # rapidfuzz ratio (0–100) that confirms a near-identical text
BANDS = 4

_DROP = re.compile(r"[\s\d０-９.,，。、；;:：“”\"'‘’()（）《》〈〉\[\]【】%％·—\-－/]+")


def normalised_text(report: Report) -> str:
    parts = [getattr(report.sections, k) or "" for k in ("overview", "active", "requests", "appeals", "problems", "other")]
    text = "".join(parts)
    agency = report.meta.agency or ""
    for name in {agency, agency.replace("人民政府", "政府"), agency.replace("人民政府", "")}:
        if len(name) >= 2:
            text = text.replace(name, "")
    return _DROP.sub("", text)


def simhash(text: str) -> int:
    """A 64-bit simhash over character 4-grams."""
    acc = [0] * 64
    for i in range(max(len(text) - 3, 1)):
        h = int.from_bytes(hashlib.blake2b(text[i : i + 4].encode(), digest_size=8).digest(), "big")
        for b in range(64):
            acc[b] += 1 if (h >> b) & 1 else -1
    return sum(1 << b for b in range(64) if acc[b] > 0)


def bands(h: int) -> list[tuple[int, int]]:
    return [(i, (h >> (16 * i)) & 0xFFFF) for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def text_hash(report: Report) -> int | None:
    """The report's simhash, or None when its text is too short to compare."""
    text = normalised_text(report)
    if len(text) < MIN_CHARS:
        return None
    return simhash(text)


def near_identical(a: Report, b: Report) -> float | None:
    """The similarity ratio (0–100) of two reports' texts when they are near-identical, else None."""
    ta, tb = normalised_text(a), normalised_text(b)
    if min(len(ta), len(tb)) < MIN_CHARS:
        return None
    ratio = fuzz.ratio(ta, tb)
    return ratio if ratio >= MIN_RATIO else None
