"""Opening a store: where the database is, the engine for its URL, the schema brought up to date.

The embedded default is one SQLite file in WAL mode (a web UI can read while a batch writes); a
shared server is PostgreSQL through psycopg 3. Both go through SQLAlchemy Core and the Alembic
migrations in ``migrations/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from ..errors import StoreError

DB_ENV = "NIANBAO_DB"


def default_location() -> str:
    """``$NIANBAO_DB``, else ``$XDG_DATA_HOME/nianbao/nianbao.db``, else ``~/.local/share/nianbao/nianbao.db``."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "nianbao" / "nianbao.db")


def to_url(location: str | os.PathLike | None) -> str:
    """A SQLAlchemy URL for a file path, a ``sqlite://`` URL or a ``postgresql://`` URL."""
    loc = str(location) if location is not None else default_location()
    if loc.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + loc.split("://", 1)[1]
    if loc.startswith(("postgresql+", "sqlite:")):
        return loc
    if "://" in loc:
        raise StoreError(f"{loc}: 不支持的数据库地址（可用文件路径、sqlite:/// 或 postgresql://）", loc)
    path = Path(loc).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{path}: 无法创建数据库所在目录 ({e.strerror or e})", str(path)) from e
    return f"sqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL with synchronous=NORMAL: a commit is atomic and survives the application's crash (kill -9);
    # only a power cut may lose the last commits (never corrupt the file).
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


WRITER_AUTOCHECKPOINT = 16384  # pages (64 MB): the batch writer's own checkpoints, when Checkpoints lags


def _sqlite_writer_connect(dbapi_conn, record) -> None:
    _sqlite_pragmas(dbapi_conn, record)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache for the batch writer
    # checkpoints are made by a thread of their own while a batch writes (Checkpoints); the
    # writer's commit checkpoints only when the WAL has grown past 64 MB all the same
    cur.execute(f"PRAGMA wal_autocheckpoint={WRITER_AUTOCHECKPOINT}")
    # The batch writer inserts a report's rows just after the report in its own transaction and
    # deletes no report nor original: SQLite's check of each row's parent (a look-up per inserted
    # row; ~15 % of the writer's time when a report's cells were ~200 rows of their own) is left to
    # the other connections, which keep it (and ON DELETE CASCADE). tests/store check PRAGMA
    # foreign_key_check after ingests and kills.
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.close()
    dbapi_conn.isolation_level = None  # the driver's own BEGIN off: ``_sqlite_begin`` says it


def _sqlite_begin(conn) -> None:
    # BEGIN IMMEDIATE takes the write lock at once (waiting up to busy_timeout for another writer),
    # so a writer never fails halfway for having read before another one committed; and with the
    # driver's transaction handling off, a transaction covers its reads and SAVEPOINTs work.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, writer: bool = False) -> Engine:
    """The engine of a store; ``writer``: one whose every transaction is a writing one (SQLite:
    BEGIN IMMEDIATE, savepoints; the batch writer of ``ingest``)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_writer_connect if writer else _sqlite_pragmas)
        if writer:
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ImportError as e:  # psycopg missing
        raise StoreError(f"{url}: 需要安装 PostgreSQL 驱动 psycopg（pip install 'nianbao[server]'）", url) from e


class Checkpoints:
    """WAL checkpoints of a SQLite store made in a thread of their own while the batch writer writes.

    Left to itself, SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: the
    writer copies those pages into the database file and waits for two fsyncs before it goes on
    (measured: a batch's commit 3× longer). Here a thread with its own connection checkpoints after
    each of the writer's commits (``poke``), in PASSIVE mode (it never waits for, nor blocks, a
    reader or the writer); the sqlite3 module lets other threads run while SQLite works, so the
    writer goes on meanwhile. Durability is unchanged: a commit is in the WAL either way."""

    def __init__(self, path: str) -> None:
        import sqlite3
        import threading

        self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="nianbao-checkpoints", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, store: "Store") -> "Checkpoints | None":
        """Checkpoints for a store that is a SQLite file (None for anything else); ``close`` it."""
        path = store.engine.url.database if store.dialect == "sqlite" else None
        return cls(path) if path and path != ":memory:" else None

    def poke(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except Exception:  # noqa: BLE001  a checkpoint missed is made by the next one (or the writer's own)
                pass
            if self._stop:
                return

    def close(self) -> None:
        """A last checkpoint (the WAL left small), then the thread ends."""
        self._stop = True
        self._wake.set()
        self._thread.join(30)
        self._conn.close()


@dataclass
class Store:
    """An open corpus. Pass it to the functions of :mod:`nianbao.store`."""

    url: str
    engine: Engine
    _writer: Engine | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def writer(self) -> Engine:
        """The engine the batch writer writes with (SQLite: another engine on the same file whose
        transactions take the write lock at BEGIN and support savepoints; PostgreSQL: ``engine``)."""
        if self._writer is None:
            self._writer = make_engine(self.url, writer=True) if self.dialect == "sqlite" else self.engine
        return self._writer

    def close(self) -> None:
        if self._writer is not None and self._writer is not self.engine:
            self._writer.dispose()
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(location: str | os.PathLike | None = None, *, migrate: bool = True) -> Store:
    """Open (and create or upgrade) the corpus at a file path or database URL.

    :param location: a file path, ``sqlite:///…`` or ``postgresql://…``; None for the default.
    :param migrate: bring the schema to the latest migration (default).
    """
    url = to_url(location)
    engine = make_engine(url)
    store = Store(url=url, engine=engine)
    if migrate:
        from .migrate import upgrade

        try:
            upgrade(store)
        except StoreError:
            raise
        except Exception as e:  # connection refused, permission denied, not a database …
            engine.dispose()
            shown = location if location is not None else default_location()
            raise StoreError(f"{shown}: 无法打开数据库 ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})", str(shown)) from e
    return store
