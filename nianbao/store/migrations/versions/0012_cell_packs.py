"""A report's cells in one row (``cell_packs``, the arrays of ``nianbao/store/cellpack.py``) with
the codes of the cell paths (``cell_paths``); the cells of the reports stored before are packed
here, report by report, from their ``cells`` rows.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from nianbao.store import cellpack

    op.create_table(
        "cell_paths",
        sa.Column("code", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("path", sa.String(80), nullable=False, unique=True),
    )
    op.create_table(
        "cell_packs",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True,
                  autoincrement=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("codes", sa.LargeBinary, nullable=False),
        sa.Column("vals", sa.LargeBinary, nullable=False),
        sa.Column("read_vals", sa.LargeBinary),
        sa.Column("raws", sa.Text, nullable=False),
        sa.Column("lines", sa.LargeBinary, nullable=False),
        sa.Column("pages", sa.LargeBinary, nullable=False),
    )
    conn = op.get_bind()
    known = cellpack.template_paths()
    conn.execute(sa.text("INSERT INTO cell_paths (code, path) VALUES (:code, :path)"),
                 [{"code": i, "path": p} for i, p in enumerate(known)])
    _pack_stored(conn)


def _pack_stored(conn, chunk: int = 500) -> None:
    """The ``cells`` rows of every stored report, packed (``chunk`` reports at a time)."""
    from nianbao.store import cellpack

    insert = sa.text(
        "INSERT INTO cell_packs (report_id, n, codes, vals, read_vals, raws, lines, pages) "
        "VALUES (:report_id, :n, :codes, :vals, :read_vals, :raws, :lines, :pages)"
    )
    ids = [r[0] for r in conn.execute(sa.text("SELECT DISTINCT report_id FROM cells ORDER BY report_id"))]
    for i in range(0, len(ids), chunk):
        lo, hi = ids[i], ids[min(i + chunk, len(ids)) - 1]
        by_report: dict[int, list] = {}
        for rid, path, value, raw_text, line, page, read_value in conn.execute(sa.text(
            "SELECT report_id, path, value, raw, line, page, read_value FROM cells "
            "WHERE report_id BETWEEN :lo AND :hi"
        ), {"lo": lo, "hi": hi}):
            by_report.setdefault(rid, []).append((path, value, raw_text, line, page, read_value))
        conn.execute(insert, [
            dict(zip(cellpack.PACK_COLUMNS, cellpack.row(conn, rid, cellpack.body(cells))))
            for rid, cells in sorted(by_report.items())
        ])


def downgrade() -> None:
    op.drop_table("cell_packs")
    op.drop_table("cell_paths")
