"""How much two reports' prose is the same: for copied reports (内容雷同, format spec §8 E5)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Report

SHINGLE = 5
# The free-text chapters: those of 二–四 are mostly the tables' labels, the same in every report.
PROSE_CHAPTERS = ("overview", "problems", "other")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+")


def prose(report: Report) -> str:
    """The free-text chapters, without spaces or punctuation, every number replaced by #."""
    return _prose("".join(getattr(report.sections, k) or "" for k in PROSE_CHAPTERS))


def _prose(text: str) -> str:
    return _NUMBER.sub("#", _DROP.sub("", text))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    if len(text) < size:
        return {text} if text else set()
    return {text[i: i + size] for i in range(len(text) - size + 1)}


def text_similarity(a: Report, b: Report) -> float:
    """Jaccard similarity (0–1) of the two reports' prose, as 5-character shingles.

    Numbers are masked, so a report copied with new figures still scores high. 0.0 when either
    report has no prose.
    """
    sa, sb = _prose_shingles(a), _prose_shingles(b)
    if not sa or not sb:
        return 0.0
    common = len(sa & sb)
    return common / (len(sa) + len(sb) - common)  # the union's size



def _prose_shingles(report: Report) -> frozenset[str]:
    """:func:`shingles` of :func:`prose` (kept for the texts met last: a report is in two pairs,
    with the year before and with the year after)."""
    return _shingles_of("".join(getattr(report.sections, k) or "" for k in PROSE_CHAPTERS))


@lru_cache(maxsize=4096)
def _shingles_of(text: str) -> frozenset[str]:
    return frozenset(shingles(_prose(text)))
