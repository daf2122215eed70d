"""Reports being written in the web editor (编写): ``drafts`` keeps each draft's report object,
the explanations of its error findings and the corpus report it was started from.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("based_on", sa.Integer, sa.ForeignKey("reports.id", ondelete="SET NULL")),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("explanations", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_drafts_agency_year", "drafts", ["agency", "year"])


def downgrade() -> None:
    op.drop_table("drafts")
