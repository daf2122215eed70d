"""Index cells by path: the web overview reads a few paths of every report (requests, outcomes,
appeals) without scanning the whole cells table.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cells_path", "cells", ["path", "report_id"])


def downgrade() -> None:
    op.drop_index("ix_cells_path", table_name="cells")
