"""One report, one record: files joined to a stored report as more copies of it (spec §7
``duplicate``: another format, encoding or file of the same agency's same year, near-identical text).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_copies",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("joined_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_report_copies_report", "report_copies", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_copies")
