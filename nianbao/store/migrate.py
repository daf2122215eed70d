"""Running the Alembic migrations of ``migrations/`` on an open store (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_PG_LOCK = 0x6E69616E  # advisory lock key: one process migrates at a time


def upgrade(store, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (no-op when it is already there).

    Two processes opening a new database at once (a web app and a batch ingest) must not both
    create it: PostgreSQL serialises them with an advisory lock; on SQLite the loser of the race
    fails on "table exists" and finds the schema made by the other."""
    head = head_revision() if revision == "head" else revision
    for attempt in range(20):
        try:
            if current_revision(store) == head:
                return
            _upgrade_once(store, revision, head)
            return
        except Exception as e:
            # SQLite answers "database is locked" at once (without waiting), or "table … already
            # exists", when two new connections race to create the schema; wait and look again.
            if not any(w in str(e) for w in ("locked", "already exists")) or attempt == 19:
                if _safe_current(store) == head:
                    return
                raise
            time.sleep(0.1 * (attempt + 1))


def _safe_current(store) -> str | None:
    try:
        return current_revision(store)
    except Exception:
        return None


def _upgrade_once(store, revision: str, head: str) -> None:
    cfg = alembic_config()
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(store, revision: str) -> None:
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
