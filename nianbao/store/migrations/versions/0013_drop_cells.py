"""The ``cells`` table dropped: a report's cells are kept in ``cell_packs`` only (0012 packed them).
Going back makes the rows again from the packs.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_cells_path", table_name="cells")
    op.drop_table("cells")


def downgrade() -> None:
    from nianbao.store import cellpack

    op.create_table(
        "cells",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("path", sa.String(80), primary_key=True),
        sa.Column("value", sa.Float),
        sa.Column("read_value", sa.Float),
        sa.Column("raw", sa.Text),
        sa.Column("line", sa.Integer),
        sa.Column("page", sa.Integer),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_cells_path", "cells", ["path", "report_id"])
    conn = op.get_bind()
    insert = sa.text("INSERT INTO cells (report_id, path, value, read_value, raw, line, page) "
                     "VALUES (:report_id, :path, :value, :read_value, :raw, :line, :page)")
    ids = [r[0] for r in conn.execute(sa.text("SELECT report_id FROM cell_packs ORDER BY report_id"))]
    for rid in ids:
        rows = [{"report_id": rid, "path": c.path, "value": c.value, "read_value": c.read_value, "raw": c.raw,
                 "line": c.line, "page": c.page} for c in cellpack.cells_of(conn, rid)]
        if rows:
            conn.execute(insert, rows)
