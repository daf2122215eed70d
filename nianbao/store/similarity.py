"""Near-identical report text (the copying the 2021 notice sanctions), found without comparing
every pair: a MinHash signature (32 values over the text's character 5-grams) cut into 8 bands of
4, kept in ``text_bands``. Texts sharing a band are candidates (two texts with 5-gram Jaccard
similarity 0.9 share one with probability > 0.999); each candidate is then confirmed on the texts
themselves with rapidfuzz.

The text compared is the six chapters with digits, whitespace and punctuation removed and the
agency's own name blanked, so a report copied with only the name and the figures changed is found.
"""

from __future__ import annotations

import hashlib
import re

from rapidfuzz import fuzz

from ..model import Report

MIN_CHARS = 400  # shorter texts (boilerplate-only reports) are not compared
MIN_RATIO = 95.0  # rapidfuzz ratio (0–100) that confirms a near-identical text

_DROP = re.compile(r"[\s\d０-９.,，。、；;:：“”\"'‘’()（）《》〈〉\[\]【】%％·—\-－/]+")


def normalised_text(report: Report) -> str:
    parts = [getattr(report.sections, k) or "" for k in ("overview", "active", "requests", "appeals", "problems", "other")]
    text = "".join(parts)
    agency = report.meta.agency or ""
    for name in {agency, agency.replace("人民政府", "政府"), agency.replace("人民政府", "")}:
        if len(name) >= 2:
            text = text.replace(name, "")
    return _DROP.sub("", text)


_MASKS = [int.from_bytes(hashlib.blake2b(f"nianbao-minhash-{i}".encode(), digest_size=8).digest(), "big") for i in range(32)]
ROWS = 4  # signature values per band


def signature(text: str) -> list[int]:
    """The MinHash signature of a text's character 5-grams (xor-mask permutations of one hash)."""
    grams = {text[i : i + 5] for i in range(max(len(text) - 4, 1))}
    hs = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams]
    return [min(h ^ m for h in hs) for m in _MASKS]


def bands(sig: list[int]) -> list[tuple[int, int]]:
    """(band number, 31-bit band value) pairs: fits a 32-bit integer column everywhere."""
    out = []
    for b in range(len(sig) // ROWS):
        chunk = ",".join(str(x) for x in sig[b * ROWS : (b + 1) * ROWS]).encode()
        out.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=4).digest(), "big") & 0x7FFFFFFF))
    return out


def text_signature(report: Report) -> tuple[str, list[int]] | None:
    """(digest of the normalised text, MinHash signature), or None when the text is too short."""
    text = normalised_text(report)
    if len(text) < MIN_CHARS:
        return None
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest(), signature(text)


def near_identical(a: Report, b: Report) -> float | None:
    """The similarity ratio (0–100) of two reports' texts when they are near-identical, else None."""
    ta, tb = normalised_text(a), normalised_text(b)
    if min(len(ta), len(tb)) < MIN_CHARS:
        return None
    ratio = fuzz.ratio(ta, tb)
    return ratio if ratio >= MIN_RATIO else None
