"""Findings people work on, and corrections applied where every output reads them:

- ``findings.key``: the finding's stable id (report, rule, cells; see ``review.py``);
- ``finding_reviews``: one row per finding ever made (by key): its review state, the latest review
  (who, when, note), whether it fires now (a finding that no longer fires is ``resolved``), and a
  copy of its last text so a resolved finding can still be listed;
- ``review_events``: every review and every automatic resolve/reopen, for ``nianbao history``;
- ``cells.read_value``: the value as read; ``cells.value`` is the value in force (as read, or the
  latest correction);
- ``reports.reading``: ``complete`` | ``partial`` (spec §8), for lists, counts and exports.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("key", sa.String(40)))
    op.create_index("ix_findings_key", "findings", ["key"])
    op.add_column("cells", sa.Column("read_value", sa.Float))
    op.execute("UPDATE cells SET read_value = value")
    op.add_column("reports", sa.Column("reading", sa.String(8)))
    op.create_table(
        "finding_reviews",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("snapshot", sa.Text, nullable=False),
        sa.Column("review_by", sa.Text),
        sa.Column("review_at", sa.DateTime),
        sa.Column("review_note", sa.Text),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_finding_reviews_report", "finding_reviews", ["report_id"])
    op.create_index("ix_finding_reviews_state", "finding_reviews", ["state", "active"])
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_review_events_report", "review_events", ["report_id"])


def downgrade() -> None:
    op.drop_table("review_events")
    op.drop_table("finding_reviews")
    op.drop_index("ix_findings_key", table_name="findings")
    for table, column in (("reports", "reading"), ("cells", "read_value"), ("findings", "key")):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
