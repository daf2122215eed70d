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
import json
import re
from collections import OrderedDict

import numpy as np
from pydantic_core import from_json
from rapidfuzz import fuzz, process

from ..model import Report

MIN_CHARS = 400  # shorter texts (boilerplate-only reports) are not compared
MIN_RATIO = 95.0  # rapidfuzz ratio (0–100) that confirms a near-identical text

_DROP = re.compile(r"[\s\d０-９.,，。、；;:：“”\"'‘’()（）《》〈〉\[\]【】%％·—\-－/]+")


CHAPTERS = ("overview", "active", "requests", "appeals", "problems", "other")


def normalised_text(report: Report) -> str:
    return _normalise([getattr(report.sections, k) or "" for k in CHAPTERS], report.meta.agency)


def loads(model_json: str):
    """A stored model's JSON as plain dicts and lists: pydantic's parser (the same values as
    ``json.loads``, in about half the time), ``json.loads`` for what it refuses (a lone surrogate)."""
    try:
        return from_json(model_json)
    except ValueError:
        return json.loads(model_json)


def normalised_text_json(model_json: str) -> str:
    """:func:`normalised_text` of a stored model (``reports.model``) without building the Report."""
    d = loads(model_json)
    sections = d.get("sections") or {}
    return _normalise([sections.get(k) or "" for k in CHAPTERS], (d.get("meta") or {}).get("agency"))


def _normalise(parts: list[str], agency: str | None) -> str:
    text = "".join(parts)
    agency = agency or ""
    # the longest name first (the full name, then 政府 for 人民政府, then the name without it), so
    # a name is never cut short by a shorter one blanked before it: the same text in every process
    for name in sorted({agency, agency.replace("人民政府", "政府"), agency.replace("人民政府", "")}, key=len, reverse=True):
        if len(name) >= 2:
            text = text.replace(name, "")
    return _DROP.sub("", text)


_MASKS = [int.from_bytes(hashlib.blake2b(f"nianbao-minhash-{i}".encode(), digest_size=8).digest(), "big") for i in range(32)]
_MASK_ARRAY = np.array(_MASKS, dtype=np.uint64)[:, None]
ROWS = 4  # signature values per band


def signature(text: str) -> list[int]:
    """The MinHash signature of a text's character 5-grams (xor-mask permutations of one hash).

    One 64-bit hash per distinct gram, then the 32 permutations at once in numpy (the same values
    as ``[min(h ^ m for h in hashes) for m in masks]``, which the stored bands were made with)."""
    grams = {text[i : i + 5] for i in range(max(len(text) - 4, 1))}
    digests = b"".join([hashlib.blake2b(g.encode(), digest_size=8).digest() for g in grams])
    hs = np.frombuffer(digests, dtype=">u8").astype(np.uint64)
    return [int(x) for x in (hs[None, :] ^ _MASK_ARRAY).min(axis=1)]


def bands(sig: list[int]) -> list[tuple[int, int]]:
    """(band number, 31-bit band value) pairs: fits a 32-bit integer column everywhere (made once
    per text: :func:`bands_of` keeps them)."""
    out = []
    for b in range(len(sig) // ROWS):
        chunk = ",".join(str(x) for x in sig[b * ROWS : (b + 1) * ROWS]).encode()
        out.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=4).digest(), "big") & 0x7FFFFFFF))
    return out


def text_signature(report: Report) -> tuple[str, list[int]] | None:
    """(digest of the normalised text, MinHash signature), or None when the text is too short.

    A signature made earlier for the same text (in a worker process, see ``ingest``, and handed
    over with :func:`remember`) is taken from :data:`SIGNATURES` instead of being made again."""
    return signature_of_text(normalised_text(report))


def signature_of_text(text: str) -> tuple[str, list[int]] | None:
    """:func:`text_signature` of a normalised text."""
    if len(text) < MIN_CHARS:
        return None
    digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    sig = SIGNATURES.get(digest)
    if sig is None:
        sig = signature(text)
        SIGNATURES.put(digest, sig)
    return digest, sig


def remember(sig: tuple[str, list[int]] | None, bands_made: list | None = None) -> None:
    """Keep a signature made elsewhere (a worker process) for :func:`text_signature`, and its
    :func:`bands` when made there too, for :func:`bands_of`."""
    if sig is not None:
        SIGNATURES.put(sig[0], sig[1])
        if bands_made is not None:
            BANDS.put(sig[0], list(bands_made))


def bands_of(sig: tuple[str, list[int]]) -> list[tuple[int, int]]:
    """:func:`bands` of a (digest, signature) pair, kept by the digest: a text's bands are made
    once, in the worker that read it when it sent them (:func:`remember`)."""
    made = BANDS.get(sig[0])
    if made is None:
        made = bands(sig[1])
        BANDS.put(sig[0], made)
    return made


def near_identical(a: Report, b: Report) -> float | None:
    """The similarity ratio (0–100) of two reports' texts when they are near-identical, else None."""
    return near_identical_text(normalised_text(a), normalised_text(b))


def near_identical_text(ta: str, tb: str) -> float | None:
    """:func:`near_identical` on two normalised texts."""
    if min(len(ta), len(tb)) < MIN_CHARS:
        return None
    ratio = fuzz.ratio(ta, tb, score_cutoff=MIN_RATIO)
    return ratio if ratio >= MIN_RATIO else None


def near_identical_texts(text: str, others: list[str]) -> list[float | None]:
    """:func:`near_identical_text` of one text against several, in one call to rapidfuzz (the same
    ratios: its ``cdist`` runs the same scorer, in float64, without a Python call per text)."""
    if not others:
        return []
    if len(text) < MIN_CHARS:
        return [None] * len(others)
    scores = process.cdist([text], others, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, dtype=np.float64)[0]
    return [float(x) if x >= MIN_RATIO and len(o) >= MIN_CHARS else None for x, o in zip(scores, others)]


class TextCache:
    """Normalised texts (or their signatures) by the text's digest (``reports.text_hash``): a digest
    names one text, so an entry is never stale; the least recently used are dropped beyond ``size``
    entries or, with ``chars``, beyond that many characters of text in all."""

    def __init__(self, size: int = 4096, chars: int | None = None) -> None:
        self.size = size
        self.chars = chars
        self.held = 0  # characters of the texts kept (with ``chars``)
        self._d: OrderedDict = OrderedDict()

    def get(self, text_hash: str | None):
        if text_hash is None or text_hash not in self._d:
            return None
        self._d.move_to_end(text_hash)
        return self._d[text_hash]

    def put(self, text_hash: str | None, text) -> None:
        if text_hash is None:
            return
        if self.chars is not None:
            old = self._d.get(text_hash)
            self.held += len(text) - (len(old) if old is not None else 0)
        self._d[text_hash] = text
        self._d.move_to_end(text_hash)
        while len(self._d) > self.size or (self.chars is not None and self.held > self.chars and len(self._d) > 1):
            _, dropped = self._d.popitem(last=False)
            if self.chars is not None:
                self.held -= len(dropped)


# the writer process's texts, compared again and again within one ingest: bounded by their size
# (64 M characters, 128 MB of Chinese text: ~20,000 real reports' texts of ~3,000 characters, more
# of shorter ones)
TEXTS = TextCache(500_000, chars=64 * 2**20)
SIGNATURES = TextCache(1024)  # signatures made in worker processes, for the writer
BANDS = TextCache(1024)  # their bands, by the text's digest
