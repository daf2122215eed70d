"""Index reports by the digest of their normalised text (exact copies found without a scan).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_text_hash", "reports", ["text_hash", "year", "id"])


def downgrade() -> None:
    op.drop_index("ix_reports_text_hash", table_name="reports")
