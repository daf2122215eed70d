"""The batch writer reads the other reports it compares a report with from indexes alone
(migration 0014): each report's row holds its model as JSON (~16 KB), so a candidate's year,
agency and text digest read from its row cost a random page read each, ~20 candidates a report."""

from __future__ import annotations

import sqlite3

from nianbao import pipeline, synth
from nianbao.store import open_store
from nianbao.store.ingest import prepare_report, write_prepared

# the writer's look-ups of other reports (relations: copied-text candidates, the report of the
# same text, which carry a copy finding; the finding naming another report)
LOOKUPS = (
    "SELECT id, year, agency_id, text_hash FROM reports",
    "SELECT id, year FROM reports WHERE text_hash",
    "SELECT DISTINCT report_id FROM findings WHERE origin = 'corpus'",
    "SELECT agency_raw, year FROM reports",
)


def test_the_writers_lookups_of_other_reports_read_indexes_alone(tmp_path):
    store = open_store(tmp_path / "w.db")
    seen: list[str] = []
    from sqlalchemy import event

    event.listen(store.writer, "connect", lambda dbapi, _: dbapi.set_trace_callback(seen.append))
    reports = list(synth.corpus(30, [2020, 2021, 2022], seed=5))  # shared text templates: candidates to compare
    assert {r.status for r in write_prepared(store, [prepare_report(r) for r in reports], pipeline._checks())} == {"new"}
    store.close()
    asked = {q: [s for s in seen if s.startswith(q)] for q in LOOKUPS}
    assert all(asked.values()), {q: len(v) for q, v in asked.items()}  # each look-up made (the corpus has copies)
    db = sqlite3.connect(tmp_path / "w.db")
    for q, statements in asked.items():
        for s in statements[:5]:
            plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + s))
            assert "COVERING INDEX" in plan and "PRIMARY KEY" not in plan, (s, plan)
