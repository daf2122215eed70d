"""The roster: the agencies that must publish a report (imported from a CSV/XLSX list), against
which coverage counts who has not published, including agencies that never did.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16)),
        sa.Column("government", sa.Boolean, nullable=False),
        sa.Column("region_code", sa.String(12)),
        sa.Column("province", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("county", sa.Text),
        sa.Column("township", sa.Text),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("roster")
