"""Agency history and the audit log: names an agency was known by, a person's assignment of a
report to an agency, agencies abolished from a year on, and who did what (``schema.py``).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_aliases",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_agency_aliases_agency", "agency_aliases", ["agency_id"])
    op.create_table(
        "report_agency",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_report_agency_agency", "report_agency", ["agency_id"])
    op.create_table(
        "agency_abolished",
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("agency_id", sa.Integer),
        sa.Column("report_id", sa.Integer),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_events_agency", "audit_events", ["agency_id"])
    op.create_index("ix_audit_events_report", "audit_events", ["report_id"])


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("agency_abolished")
    op.drop_table("report_agency")
    op.drop_table("agency_aliases")
