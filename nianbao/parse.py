"""The reading pipeline in one call: bytes → Document (``read``) → Report (``extract``)."""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import limits
from .errors import NianbaoError
from .model import Report, Source
from .read import Document, read_document
from .extract import extract


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Reading allocates many small objects and few cycles: the cyclic collector's passes during a
    parse cost about 7 % of its time for nothing. It is paused for the parse (and resumed after,
    when it was running), not switched off."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def parse_bytes(data: bytes, path: str = "", series: dict | None = None) -> Report:
    """Read one file's bytes into the canonical model. Raises :class:`NianbaoError` on bad input
    (a reading that takes longer than the time limit stops with ``TimeLimitExceeded``). ``series``:
    hints from the same agency's other years (``nianbao.extract.series``)."""
    return parse_document(data, path, series)[1]


def parse_document(data: bytes, path: str = "", series: dict | None = None) -> tuple[Document, Report]:
    """:func:`parse_bytes`, with the document read (its numbered lines are what the web's source
    view shows; the store keeps them at ingest so that no page view reads the original again)."""
    with limits.deadline(path), _no_gc_pauses():
        doc = read_document(data, path)
        report = extract(doc, path, series=series)
    report.source = Source(path=path, sha256=sha256(data), format=doc.format, reader=doc.reader)
    return doc, report


def explain_bytes(data: bytes, path: str = "") -> tuple[Report, dict]:
    """Read one file as :func:`parse_bytes` does (under the same time limit), and what each reader
    stage found (``nianbao explain``)."""
    with limits.deadline(path):
        doc = read_document(data, path)
        trace: dict = {"format": doc.format, "reader": doc.reader, "hints": dict(doc.hints), "lines": len(doc.lines)}
        report = extract(doc, path, trace)
    report.source = Source(path=path, sha256=sha256(data), format=doc.format, reader=doc.reader)
    trace["unread"] = {
        cell: next((n.message for n in report.notes if cell in n.cells), "该单元格未能定位（所在行或表格未找到）")
        for cell in report.reading.unread
    }
    trace["notes"] = [n.model_dump(mode="json") for n in report.notes]
    return report, trace


def parse_path(path: str | Path) -> Report:
    p = Path(path)
    return parse_bytes(limits.read_file(p), str(p))


def error_object(path: str, exc: Exception, data: bytes | None = None) -> dict:
    """The spec's line for a file that cannot be read: ``{"source": …, "error": …}``."""
    source = {"path": path, "sha256": sha256(data) if data is not None else None, "format": None}
    if isinstance(exc, NianbaoError):
        error = exc.to_dict()
    else:
        error = {"code": "internal_error", "message": f"{path}: 读取时出现内部错误 ({type(exc).__name__}: {exc})"}
    if path and path not in error["message"]:
        error["message"] = f"{path}: {error['message']}"
    return {"source": source, "error": error}
