"""The tables of agency history and the audit log (issue 15 §2, §6), on the schema's metadata
(registered by the last line of ``schema.py``; created by migration 0009):

- ``agency_aliases``: a name key an agency was known by (merged away, renamed); a later ingest of
  that name lands on the agency (``write.agency_id``).
- ``report_agency``: a person's assignment of a report to an agency, which a re-read keeps.
- ``agency_abolished``: an agency abolished from a report year on (coverage stops expecting it).
- ``audit_events``: who did what and when (agency assigned, renamed, merged, abolished; a report
  re-read or deleted). No foreign keys: an entry outlives the report or agency it names.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from .schema import metadata

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
