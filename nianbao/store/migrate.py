"""Running the Alembic migrations of ``migrations/`` on an open store (SQLite and PostgreSQL alike)."""

from __future__ import annotations

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
    if current_revision(store) == head:
        return
    cfg = alembic_config()
    try:
        with store.engine.begin() as conn:
            if store.engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except Exception:
        if current_revision(store) == head:
            return
        raise


def downgrade(store, revision: str) -> None:
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
