"""The tables of the corpus, as SQLAlchemy Core objects (the migrations in ``migrations/`` create them).

- ``originals``: each file's bytes, once per sha256 (zlib-compressed when that saves space).
- ``sources``: every path a file was ingested from (one original may come from several paths).
- ``agencies``: publishing bodies, normalised and placed in the administrative hierarchy.
- ``reports``: one per original: metadata, status, the model as JSON, the reader version.
- ``cell_packs``: a report's cells in one row of arrays (``cellpack.py``): value, value as read,
  raw text, line, page of each; ``cell_paths``: the codes of the cells' paths.
- ``findings``: the checker's findings, the cross-year ones and the corpus ones (copied text).
- ``overrides``: a person's corrections of a cell, as events; the cells keep the value as read
  beside the value in force (as the stored model does).
- ``source_lines``: the lines of a report's original as the reader numbered them (the web's source
  view), kept at ingest so that no page view reads the original again.
- ``report_copies``: files joined to a stored report as more copies of it (``duplicates.py``).
- ``finding_reviews`` and ``review_events``: the review state of every finding ever made (by its
  stable key) and the history of reviews (see ``review.py``).
- ``roster``: the agencies that must publish (imported list), for coverage (``roster.py``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

originals = Table(
    "originals",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("compression", String(8), nullable=False),  # "none" | "zlib"
    Column("data", LargeBinary, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("sha256", String(64), ForeignKey("originals.sha256"), primary_key=True),
    Column("path", Text, primary_key=True),
    Column("first_seen", DateTime, nullable=False),
)

agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),  # normalised identity (see agencies.py)
    Column("name", Text, nullable=False),  # the name shown
    Column("kind", String(16)),  # 政府 | 部门 | 乡镇/街道 | 开发区/园区 | None
    Column("placement", String(16), nullable=False),  # placed | ambiguous | unplaced
    Column("region_code", String(12)),
    Column("province", Text),
    Column("city", Text),
    Column("county", Text),
    Column("township", Text),
    Column("candidates", Text),  # JSON list of possible regions when ambiguous
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), ForeignKey("originals.sha256"), nullable=False, unique=True),
    Column("path", Text, nullable=False),  # the first path it was ingested from
    Column("format", String(16)),
    Column("status", String(16), nullable=False),  # clean | errors | partial | unreadable
    Column("reading", String(8)),  # complete | partial (spec §8); None when unreadable
    Column("error_code", String(64)),
    Column("error_message", Text),
    Column("agency_raw", Text),
    Column("agency_id", Integer, ForeignKey("agencies.id")),
    Column("year", Integer),
    Column("template", String(8)),
    Column("published", String(10)),
    Column("title", Text),
    Column("n_errors", Integer, nullable=False, default=0),
    Column("n_warnings", Integer, nullable=False, default=0),
    Column("n_infos", Integer, nullable=False, default=0),
    Column("text_hash", String(16)),  # digest of the normalised chapters (similarity.py)
    Column("reader_version", Integer, nullable=False),
    Column("model", Text),  # the Report as JSON, findings left out (they are in ``findings``)
    Column("ingested_at", DateTime, nullable=False),
    Index("ix_reports_agency_year", "agency_id", "year"),
    Index("ix_reports_year", "year"),
    Index("ix_reports_text_hash", "text_hash", "year", "id", "agency_id"),  # 0014: agency_id added
)

cell_paths = Table(
    "cell_paths",
    metadata,
    Column("code", Integer, primary_key=True, autoincrement=False),  # never changed nor reused
    Column("path", String(80), nullable=False, unique=True),
)

cell_packs = Table(  # a report's cells in one row: the arrays of nianbao/store/cellpack.py
    "cell_packs",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("n", Integer, nullable=False),
    Column("codes", LargeBinary, nullable=False),
    Column("vals", LargeBinary, nullable=False),
    Column("read_vals", LargeBinary),
    Column("raws", Text, nullable=False),
    Column("lines", LargeBinary, nullable=False),
    Column("pages", LargeBinary, nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("origin", String(16), nullable=False),  # check | cross_year | corpus
    Column("rule", String(80), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("cells", Text, nullable=False),  # JSON list of dotted paths
    Column("expected", Float),
    Column("actual", Float),
    Column("other_report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE")),
    Column("extra", Text),  # JSON of any other keys of the finding (e.g. "other")
    Column("key", String(40)),  # the stable finding id (review.py)
    Index("ix_findings_report", "report_id"),
    Index("ix_findings_key", "key"),
    Index("ix_findings_rule", "rule"),
    Index("ix_findings_other", "other_report_id"),
)

text_bands = Table(
    "text_bands",
    metadata,
    Column("band", Integer, primary_key=True),
    Column("value", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,
)

overrides = Table(
    "overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(80), nullable=False),
    Column("old_value", Float),
    Column("new_value", Float),
    Column("reason", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_overrides_report", "report_id"),
)

source_lines = Table(
    "source_lines",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("format", String(16)),
    Column("pages", Integer, nullable=False),  # pages of a paged format, else 0
    Column("data", LargeBinary, nullable=False),  # zlib-compressed JSON: [[line, page, text], …]
)

finding_reviews = Table(
    "finding_reviews",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(80), nullable=False),
    Column("state", String(12), nullable=False),  # open | confirmed | dismissed | explained
    Column("active", Boolean, nullable=False),  # fires now; False: resolved
    Column("snapshot", Text, nullable=False),  # JSON of the finding as last made
    Column("review_by", Text),
    Column("review_at", DateTime),
    Column("review_note", Text),
    Column("first_seen", DateTime, nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Index("ix_finding_reviews_report", "report_id"),
    Index("ix_finding_reviews_state", "state", "active"),
)

review_events = Table(
    "review_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(40), nullable=False),
    Column("state", String(12), nullable=False),  # a review state, or resolved / reopened
    Column("author", Text),  # None for the automatic resolved / reopened
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
    Index("ix_review_events_report", "report_id"),
)

report_copies = Table(
    "report_copies",
    metadata,
    Column("sha256", String(64), ForeignKey("originals.sha256"), primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("joined_at", DateTime, nullable=False),
    Index("ix_report_copies_report", "report_id"),
)

# Reports being written in the web editor (编写, ``drafts.py``): the report object as JSON, the
# clerk's explanation of each error finding kept, and the corpus report it was started from.
drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("based_on", Integer, ForeignKey("reports.id", ondelete="SET NULL")),
    Column("report", Text, nullable=False),  # the Report as JSON (spec §2)
    Column("explanations", Text, nullable=False),  # {finding key: explanation}
    Column("author", Text),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_drafts_agency_year", "agency", "year"),
)

roster = Table(
    "roster",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),  # the agency identity, as agencies.key
    Column("name", Text, nullable=False),
    Column("kind", String(16)),  # 政府 | 部门 | 乡镇/街道 | 开发区/园区
    Column("government", Boolean, nullable=False),  # a 人民政府 itself: its deadline is 3月31日, else 1月31日
    Column("region_code", String(12)),
    Column("province", Text),
    Column("city", Text),
    Column("county", Text),
    Column("township", Text),
    Column("imported_at", DateTime, nullable=False),
)


# The tables of agency history and the audit log (issue 15 §2, §6; created by migration 0009):
#
# - ``agency_aliases``: a name key an agency was known by (merged away, renamed); a later ingest of
#   that name lands on the agency (``write.agency_id``).
# - ``report_agency``: a person's assignment of a report to an agency, which a re-read keeps.
# - ``agency_abolished``: an agency abolished from a report year on (coverage stops expecting it).
# - ``audit_events``: who did what and when (agency assigned, renamed, merged, abolished; a report
#   re-read or deleted). No foreign keys: an entry outlives the report or agency it names.

agency_aliases = Table(
    "agency_aliases",
    metadata,
    Column("key", Text, primary_key=True),  # a normalised identity (agencies.key form)
    Column("agency_id", Integer, ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),  # the name as it was shown
    Column("created_at", DateTime, nullable=False),
    Index("ix_agency_aliases_agency", "agency_id"),
)

report_agency = Table(
    "report_agency",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", Integer, ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
    Column("author", Text),
    Column("created_at", DateTime, nullable=False),
    Index("ix_report_agency_agency", "agency_id"),
)

agency_abolished = Table(
    "agency_abolished",
    metadata,
    Column("agency_id", Integer, ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, nullable=False),  # the first report year it no longer owes
    Column("author", Text),
    Column("created_at", DateTime, nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("author", Text),
    Column("action", String(24), nullable=False),  # audit.ACTIONS: assign | rename | merge | place | abolish | …
    Column("agency_id", Integer),
    Column("report_id", Integer),
    Column("summary", Text, nullable=False),  # what a person reads (Chinese)
    Column("detail", Text),  # JSON: the values before and after
    Index("ix_audit_events_agency", "agency_id"),
    Index("ix_audit_events_report", "report_id"),
)
