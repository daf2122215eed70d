"""The pipeline above the store: read → extract → check, for one file, in one place.

Everything that turns a file into a checked report calls :func:`check_file` (``nianbao check``,
ingest's worker processes, ``reparse``, the Dask runner, the web upload); ``nianbao parse`` calls
:func:`read_file`. The store only stores and queries: it receives checked reports, and the
pipeline hands it the checker's cross-year and copied-text rules (:data:`CHECKS`), so that
``nianbao.store`` imports neither the reader nor the checker.

Corpus entry points (same arguments as before they moved here from ``nianbao.store``)::

    from nianbao import pipeline
    for result in pipeline.ingest(store, ["reports/", "batch.zip"]): ...
    pipeline.ingest_bytes(store, data, "upload.pdf")
    pipeline.add_report(store, report, check=True)
    for result in pipeline.reparse(store): ...
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator

from .check import check_pair, check_report
from .check.registry import RULES
from .errors import NianbaoError
from .extract.segment import segment_line
from .model import Finding, Report
from .parse import error_object, parse_document
from .read import Document, read_document
from .store import ingest as store_ingest
from .store.ingest import Checks, IngestResult, Parsed
from .store.inputs import Input, expand
from .store.source import kept_lines

__all__ = [
    "Checked", "read_lines", "read_file", "check_file", "run_file", "inputs",
    "ingest", "ingest_inputs", "ingest_bytes", "add_report", "write_reports", "reparse",
]

RULE_CHECK_FAILED = "corpus.check_failed"
RULE_COPY_OTHER = "corpus.copied_text_other_agency"


@dataclass
class Checked:
    """One file through the pipeline: the report (findings filled when checked), or the spec's
    error object ``{"source": …, "error": …}`` when it cannot be read."""

    path: str
    report: Report | None = None
    error: dict | None = None

    def to_json(self) -> dict:
        """The line ``nianbao parse/check --json`` prints for this file (spec §1)."""
        return self.report.to_json_dict() if self.report is not None else self.error


def read_lines(data: bytes, path: str) -> Document:
    """read only: the file's lines as the reader numbered them (the web's source view)."""
    return read_document(data, path)


def read_file(data: bytes, path: str) -> Report:
    """read → extract: one file's bytes as the canonical model. Raises :class:`NianbaoError`."""
    return parse_document(data, path)[1]


def check_file(data: bytes, path: str) -> Parsed:
    """read → extract → check one file; never raises (runs in ingest's worker processes).

    A file that cannot be read gives ``Parsed(None, error)``; a checker that fails on a report
    gives the report with one ``corpus.check_failed`` finding instead of its findings."""
    try:
        doc, report = parse_document(data, path)
    except Exception as e:  # every failure is recorded, the batch goes on
        return Parsed(None, error_object(path, e, data)["error"])
    lines = kept_lines(doc.lines, segment_line)  # for the web's source view, with grid cells and segment cuts
    return Parsed(_checked(report, path), None, report.source.format, lines)


def _checked(report: Report, path: str) -> Report:
    try:
        report.findings = check_report(report)
    except Exception as e:  # a checker bug must not pass for a clean report
        report.findings = [RULES[RULE_CHECK_FAILED].finding(path=path, error=f"{type(e).__name__}: {e}")]
    return report


def run_file(inp: Input, check: bool = True, series: dict | None = None) -> Checked:
    """One input (a file, a zip member) through the pipeline: read, and check unless ``check`` is
    False. Never raises: a file that cannot be read gives the spec's error object. ``series``:
    hints from the agency's other years (``nianbao.extract.series``)."""
    try:
        data = inp.read()
    except NianbaoError as e:
        return Checked(inp.path, error=error_object(inp.path, e))
    try:
        report = parse_document(data, inp.path, series)[1]
    except Exception as e:  # one error boundary: every file gets a line
        return Checked(inp.path, error=error_object(inp.path, e, data))
    return Checked(inp.path, report=_checked(report, inp.path) if check else report)


def inputs(paths: Iterable[str | os.PathLike]) -> Iterator[Input]:
    """Files, folders (recursively, sorted) and zip archives (members in order, ``a.zip!m``)."""
    return expand(list(paths))


# --------------------------------------------------------------------------- the corpus


def _pair(earlier: Report, later: Report) -> list[Finding]:
    return check_pair(earlier, later)


def _copied(who: str, ratio: float) -> Finding:
    return RULES[RULE_COPY_OTHER].finding(who=who, ratio=f"{ratio:.0f}")


def _checks() -> Checks:
    """What the store is given (looked up at each call, so a test may replace ``check_file``,
    ``check_pair`` or ``check_report`` here)."""
    return Checks(file=check_file, pair=_pair, report=lambda r: check_report(r), copied=_copied)


def ingest_inputs(store, items: Iterable[Input], **kw) -> Iterator[IngestResult]:
    """:func:`nianbao.store.ingest.ingest_inputs` with the pipeline's reading and checking."""
    return store_ingest.ingest_inputs(store, items, _checks(), **kw)


def ingest(store, paths: list[str | os.PathLike], **kw) -> Iterator[IngestResult]:
    """Ingest files, folders (recursive) and zip archives; one result per file, in order."""
    return ingest_inputs(store, expand(paths), **kw)


def ingest_bytes(store, data: bytes, path: str) -> IngestResult:
    """Ingest one file's bytes (the web upload): read and checked in this process."""
    return next(iter(ingest_inputs(store, [Input(path, lambda: data)], workers=1)))


def add_report(store, report: Report, data: bytes | None = None, *, check: bool = False) -> int:
    """Store a report built in code (``check=True`` runs the checker first); see
    :func:`nianbao.store.ingest.add_report`."""
    return store_ingest.add_report(store, report, data, _checks(), check=check)


def write_reports(store, reports: Iterable[Report], *, workers: int = 1) -> Iterator[IngestResult]:
    """Store many reports built in code through the batch writer (generated corpora, benchmarks);
    see :func:`nianbao.store.ingest.write_reports`."""
    return store_ingest.write_reports(store, reports, _checks(), workers=workers)


def reparse(store, **kw) -> Iterator[IngestResult]:
    """Re-read stored originals read by an older reader (every report with ``all_reports``)."""
    return store_ingest.reparse(store, _checks(), **kw)


def stale(store) -> list[tuple[int, str, str]]:
    return store_ingest.stale(store)
from .corrections import correct  # noqa: E402,F401  (the one correction path, spec §7: nianbao/corrections.py)
