"""The initial corpus schema.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "originals",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("compression", sa.String(8), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), primary_key=True),
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("first_seen", sa.DateTime, nullable=False),
    )
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16)),
        sa.Column("placement", sa.String(16), nullable=False),
        sa.Column("region_code", sa.String(12)),
        sa.Column("province", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("county", sa.Text),
        sa.Column("township", sa.Text),
        sa.Column("candidates", sa.Text),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), nullable=False, unique=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_message", sa.Text),
        sa.Column("agency_raw", sa.Text),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id")),
        sa.Column("year", sa.Integer),
        sa.Column("template", sa.String(8)),
        sa.Column("published", sa.String(10)),
        sa.Column("title", sa.Text),
        sa.Column("n_errors", sa.Integer, nullable=False),
        sa.Column("n_warnings", sa.Integer, nullable=False),
        sa.Column("n_infos", sa.Integer, nullable=False),
        sa.Column("text_hash", sa.String(16)),
        sa.Column("reader_version", sa.Integer, nullable=False),
        sa.Column("model", sa.Text),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_agency_year", "reports", ["agency_id", "year"])
    op.create_index("ix_reports_year", "reports", ["year"])
    op.create_table(
        "cells",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("path", sa.String(80), primary_key=True),
        sa.Column("value", sa.Float),
        sa.Column("raw", sa.Text),
        sa.Column("line", sa.Integer),
        sa.Column("page", sa.Integer),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("cells", sa.Text, nullable=False),
        sa.Column("expected", sa.Float),
        sa.Column("actual", sa.Float),
        sa.Column("other_report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE")),
        sa.Column("extra", sa.Text),
    )
    op.create_index("ix_findings_report", "findings", ["report_id"])
    op.create_index("ix_findings_rule", "findings", ["rule"])
    op.create_index("ix_findings_other", "findings", ["other_report_id"])
    op.create_table(
        "text_bands",
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("value", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("path", sa.String(80), nullable=False),
        sa.Column("old_value", sa.Float),
        sa.Column("new_value", sa.Float),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_overrides_report", "overrides", ["report_id"])


def downgrade() -> None:
    for name in ("overrides", "text_bands", "findings", "cells", "reports", "agencies", "sources", "originals"):
        op.drop_table(name)
