"""The batch writer's lookups of other reports read from indexes alone, without the reports' rows
(each holds its model as JSON: ~16 KB a report, pages the writer would otherwise read at random
for the ~20 copied-text candidates of every report it writes):

- ``text_hash`` added to ``ix_reports_list``: the candidates' year, agency and text digest, read by id;
- ``agency_id`` added to ``ix_reports_text_hash``: the first other agency's report of the same text;
- ``origin`` added to ``ix_findings_list``: which candidates carry a copy finding already.

Revision ID: 0014
Revises: 0013
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_LIST = ["id", "status", "year", "agency_id", "reading", "n_errors", "n_warnings", "published", "template", "agency_raw"]
_TEXT = ["text_hash", "year", "id"]
_FINDINGS = ["report_id", "severity", "rule", "key"]


def _replace(name: str, table: str, columns: list[str]) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns)


def upgrade() -> None:
    _replace("ix_reports_list", "reports", _LIST + ["text_hash"])
    _replace("ix_reports_text_hash", "reports", _TEXT + ["agency_id"])
    _replace("ix_findings_list", "findings", _FINDINGS + ["origin"])


def downgrade() -> None:
    _replace("ix_findings_list", "findings", _FINDINGS)
    _replace("ix_reports_text_hash", "reports", _TEXT)
    _replace("ix_reports_list", "reports", _LIST)
