"""The corpus: many reports kept in one database (SQLite by default, PostgreSQL for a server).

Python API (what the CLI and the web app use; every function takes an open :class:`Store`)::

    from nianbao import store

    s = store.open_store(None)                 # default DB ($NIANBAO_DB or the user's data folder)
    s = store.open_store("corpus.db")          # a file path (created and migrated if missing)
    s = store.open_store("postgresql://u:p@host/db")

    # writing reports is the pipeline's (it reads and checks, then calls the store's writer):
    # nianbao.pipeline.ingest(s, ["reports/", "batch.zip"]), .ingest_bytes, .add_report, .reparse
    # give one IngestResult per file (path, sha256, status new|unchanged|reparsed|failed,
    # report_id, error), in input order; .to_json() is the line of `nianbao ingest --json`

    # reading
    store.list_reports(s, agency="龙港", region="温州市", year=2021, kind="政府",
                       status="errors", limit=50, offset=0)  # -> [ReportSummary]
    store.count_reports(s, year=2021)                        # same filters -> int
    sr = store.get_report(s, report_id)   # StoredReport: .summary, .report (Report with findings),
                                          # .cells [{path,value,raw,line,page}], .findings
                                          # [finding + "origin"], .sources [paths]; None if absent
    path, data = store.get_original(s, report_id)           # the original bytes
    store.iter_findings(s, agency=None, year=None, severity=None, rule=None, report_id=None)
                                          # -> iterator of `nianbao findings --json` objects
    store.finding_counts(s, year=2021)    # [{"rule", "severity", "count"}]
    store.corpus_stats(s)                 # totals by status, year, severity

    # the corpus views
    store.coverage(s, 2021, region="温州市")            # or agencies=[names]; spec §7 object
    store.compare(s, "龙港市人民政府", 2021, 2022)      # both years' cells, differences, metrics,
                                                       # findings (StoreError if agency unknown)
    store.list_agencies(s, placement="ambiguous")      # [AgencyRow] (with candidate regions)
    store.resolve_agency(s, "潘庄镇人民政府", "371581108")  # a person places an ambiguous agency
    store.export(s, "out.xlsx", shape="wide"|"long"|"findings", fmt=None (from suffix),
                 chinese_headers=True, year=2021, region=…)   # -> number of rows
    header, rows = store.export_table(s, "wide", chinese_headers=False, year=2021)

    # overrides (a person corrects a cell; the value read stays)
    store.add_override(s, report_id, "tables.requests.new_received.total", 12, reason, author)
    store.list_overrides(s, report_id=None)            # [Override] oldest first
    store.report_with_overrides(s, report_id)          # Report with the latest overrides applied

Metrics (公开率, 复议纠错率 …) are in :mod:`nianbao.metrics` (``METRICS``, ``compute_all(report)``).
Errors are :class:`nianbao.errors.StoreError` (code ``store_error``) with a Chinese message.

Modules: ``db`` (URL, engine, open), ``schema`` (tables), ``migrations/`` (Alembic), ``inputs``
(files, folders, zips), ``ingest`` (pool of parsers, one writer), ``write`` (one report's rows),
``relations`` (cross-year and copied-text findings), ``similarity``, ``agencies`` and ``regions``
(names and places), ``queries``.
"""

from .db import Store, default_location, open_store
from .ingest import IngestResult
from .agencies_list import AgencyRow, list_agencies, resolve_agency
from .compare import compare
from .coverage import coverage
from .export import export
from .export import table as export_table
from .overrides import Override, add_override, list_overrides, report_with_overrides
from .queries import (
    ReportSummary,
    StoredReport,
    corpus_stats,
    count_reports,
    finding_counts,
    get_original,
    get_report,
    iter_findings,
    list_reports,
)

__all__ = [
    "Store",
    "open_store",
    "default_location",
    "IngestResult",
    "ReportSummary",
    "StoredReport",
    "list_reports",
    "count_reports",
    "get_report",
    "get_original",
    "iter_findings",
    "finding_counts",
    "corpus_stats",
    "coverage",
    "compare",
    "AgencyRow",
    "list_agencies",
    "resolve_agency",
    "export",
    "export_table",
    "Override",
    "add_override",
    "list_overrides",
    "report_with_overrides",
]


_MOVED = {"ingest", "ingest_bytes", "add_report", "reparse"}


def __getattr__(name: str):
    if name in _MOVED:  # writing reports needs the reader and the checker: the pipeline's
        raise AttributeError(f"nianbao.store.{name} moved to nianbao.pipeline.{name} (the store imports no reader or checker)")
    raise AttributeError(f"module 'nianbao.store' has no attribute {name!r}")
