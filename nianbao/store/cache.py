"""Answers the pages ask again and again (the overview's figures, rankings, coverage, the order of
a long list), kept until the corpus changes: the pages of 10^5 reports in well under a second.

Every entry is tied to the store's change token: on SQLite, ``PRAGMA data_version`` read on a
read-only connection of our own, which changes whenever any other connection (of this process or
another, such as a running ``nianbao ingest``) commits; on PostgreSQL, the server's WAL insert position,
which moves with every write. When the token changes, every entry is dropped; an answer is never
served from before a commit the token has seen. A store whose token cannot be read (an in-memory
database) is not cached. Two requests for the same missing entry compute it once.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

MAX_ENTRIES = 128


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict = OrderedDict()
        self.token: Any = None
        self.pending: dict = {}  # key → Event of the computation running
        self.conn: sqlite3.Connection | None = None
        self.conn_lock = threading.Lock()
        self.last: dict = {}  # key → (value, when computed) of the answers :func:`latest` may give


def _state(store) -> _State:
    st = store.__dict__.get("_answer_cache")
    if st is None:
        st = store.__dict__.setdefault("_answer_cache", _State())
    return st


def change_token(store) -> Any:
    """A value that changes whenever the corpus is written to (None: unknown, do not cache)."""
    st = _state(store)
    try:
        if store.dialect == "sqlite":
            path = store.engine.url.database
            if not path or path == ":memory:":
                return None
            with st.conn_lock:
                if st.conn is None:
                    st.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                return st.conn.execute("PRAGMA data_version").fetchone()[0]
        if store.dialect == "postgresql":
            with store.engine.connect() as conn:
                return str(conn.exec_driver_sql("SELECT pg_current_wal_insert_lsn()").scalar())
    except Exception:  # a token we cannot read only means no caching
        return None
    return None


def cached(store, name: str, key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its value kept since the corpus last changed. The value is shared: never
    change it in place."""
    token = change_token(store)
    if token is None:
        return compute()
    st = _state(store)
    k = (name, key)
    while True:
        with st.lock:
            if st.token != token:
                st.entries.clear()
                st.token = token
            if k in st.entries:
                st.entries.move_to_end(k)
                return st.entries[k]
            running = st.pending.get((token, k))
            if running is None:
                running = st.pending[(token, k)] = threading.Event()
                break
        running.wait(600)  # another request computes it; then look again
    try:
        value = compute()
        with st.lock:
            if st.token == token:
                st.entries[k] = value
                while len(st.entries) > MAX_ENTRIES:
                    st.entries.popitem(last=False)
        return value
    finally:
        with st.lock:
            st.pending.pop((token, k), None)
        running.set()


def latest(store, name: str, key: Hashable, compute: Callable[[], Any]) -> tuple[Any, Any]:
    """For answers that take long on a large corpus (the overview's figures): the current answer
    when it is kept, else the last one computed (before the latest writes) while a background
    thread computes the current one; with nothing computed yet, computed now. Returns (value,
    when): ``when`` is None for a current answer, else the UTC time the old one was computed."""
    import datetime as dt

    st = _state(store)
    k = (name, key)

    def compute_and_keep():
        value = compute()
        with st.lock:
            st.last[k] = (value, dt.datetime.now(dt.timezone.utc))
            while len(st.last) > MAX_ENTRIES:
                st.last.pop(next(iter(st.last)))
        return value

    token = change_token(store)
    with st.lock:
        fresh = token is not None and st.token == token and k in st.entries
        old = st.last.get(k)
        running = any(p[1] == k for p in st.pending)
    if fresh or old is None or token is None:
        return cached(store, name, key, compute_and_keep), None
    if not running:
        threading.Thread(target=cached, args=(store, name, key, compute_and_keep), daemon=True,
                         name="nianbao-refresh").start()
    return old[0], old[1]


def sql_key(store, statement) -> str:
    """A cache key for a SQL statement: its text with the values written in."""
    return str(statement.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))
