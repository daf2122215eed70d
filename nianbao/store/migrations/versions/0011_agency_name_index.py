"""The agency list (机关) sorted and searched by name over tens of thousands of agencies.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_agencies_name", "agencies", ["name", "id"])


def downgrade() -> None:
    op.drop_index("ix_agencies_name", table_name="agencies")
