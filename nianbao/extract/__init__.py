"""The extractor: a Document (lines from any reader) into the canonical Report."""

from __future__ import annotations

from ..model import Report, Source
from ..read.document import Document


def extract(doc: Document, path: str = "") -> Report:
    """Turn a Document into a Report (source is filled by the caller)."""
    raise NotImplementedError
