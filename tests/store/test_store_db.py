"""Opening a store: locations, URLs, migrations, errors."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from nianbao.errors import StoreError
from nianbao.store import db as D
from nianbao.store import migrate, open_store, schema


def test_default_location_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_DB", str(tmp_path / "x.db"))
    assert D.default_location() == str(tmp_path / "x.db")
    monkeypatch.delenv("NIANBAO_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert D.default_location() == str(tmp_path / "data" / "nianbao" / "nianbao.db")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert D.default_location() == str(tmp_path / "home" / ".local" / "share" / "nianbao" / "nianbao.db")


def test_urls():
    assert D.to_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert D.to_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(StoreError, match="不支持的数据库地址"):
        D.to_url("mysql://h/db")


def test_migrations_create_exactly_the_schema(store):
    assert set(schema.metadata.tables) <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    # index/constraint naming may differ in reflection; tables and columns must not
    assert [d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column")] == []
    assert migrate.current_revision(store) == migrate.head_revision()


def test_downgrade_and_upgrade_again(store):
    migrate.downgrade(store, "base")
    assert "reports" not in inspect(store.engine).get_table_names()
    migrate.upgrade(store)
    assert "reports" in inspect(store.engine).get_table_names()


def test_sqlite_is_in_wal_mode(tmp_path):
    s = open_store(tmp_path / "w.db")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as e:
        open_store(bad)
    assert str(bad) in e.value.message and "无法打开数据库" in e.value.message
