"""Covering indexes for the lists of 10^5 reports: the report list's sort and filter columns, read
without the reports' rows (each holds its model as JSON), and the findings' columns the 问题 list
sorts and filters on.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_list", "reports", ["id", "status", "year", "agency_id", "reading", "n_errors", "n_warnings",
                                                   "published", "template", "agency_raw"])
    op.create_index("ix_findings_list", "findings", ["report_id", "severity", "rule", "key"])


def downgrade() -> None:
    op.drop_index("ix_findings_list", table_name="findings")
    op.drop_index("ix_reports_list", table_name="reports")
