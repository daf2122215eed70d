"""Statements through the database driver itself, for the writer's hot path.

Building a SQLAlchemy statement costs more than SQLite takes to run it (measured: ~0.2 ms of
Python per statement against ~0.04 ms in SQLite), so the statements the batch writer runs for
every report are plain SQL strings with ``?`` placeholders (turned into psycopg's ``%s`` once on
PostgreSQL), run on the SQLAlchemy connection's own driver connection, inside its transaction.
Rows go in as tuples: ``executemany`` on SQLite, COPY on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection

_PG: dict[str, str] = {}


class Raw:
    """The driver connection under a SQLAlchemy connection (one per SQLAlchemy connection)."""

    def __init__(self, conn: Connection) -> None:
        self.pg = conn.dialect.name == "postgresql"
        self.dbapi = conn.connection.driver_connection
        self.cur = self.dbapi.cursor()

    def sql(self, q: str) -> str:
        if not self.pg:
            return q
        out = _PG.get(q)
        if out is None:
            out = _PG[q] = q.replace("%", "%%").replace("?", "%s")
        return out

    def run(self, q: str, params: Sequence = ()):
        self.cur.execute(self.sql(q), tuple(params))
        return self.cur

    def all(self, q: str, params: Sequence = ()) -> list[tuple]:
        return list(self.run(q, params).fetchall())

    def first(self, q: str, params: Sequence = ()) -> tuple | None:
        return self.run(q, params).fetchone()

    def scalar(self, q: str, params: Sequence = ()) -> Any:
        row = self.first(q, params)
        return None if row is None else row[0]

    def column(self, q: str, params: Sequence = ()) -> list:
        return [r[0] for r in self.run(q, params).fetchall()]

    def many(self, q: str, rows: Iterable[Sequence]) -> None:
        rows = rows if isinstance(rows, list) else list(rows)
        if rows:
            self.cur.executemany(self.sql(q), rows)

    def insert_id(self, table: str, columns: Sequence[str], values: Sequence) -> int:
        """INSERT one row, returning its id."""
        q = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) RETURNING id"
        return self.run(q, values).fetchone()[0]

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence]) -> None:
        """Many rows as tuples: one ``executemany`` on SQLite, COPY on PostgreSQL."""
        if not rows:
            return
        cols = ", ".join(columns)
        if self.pg:
            with self.dbapi.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self.cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(columns))})", rows)

    def indexed(self, table: str, index: str) -> str:
        """``table`` read through ``index`` alone (a covering index SQLite's planner passes over
        for a lookup by rowid: ``INDEXED BY``); PostgreSQL chooses for itself."""
        return table if self.pg else f"{table} INDEXED BY {index}"

    def in_list(self, n: int) -> str:
        return ", ".join("?" * n)

    def chunked(self, q: str, values: list, size: int = 500, after: list = ()) -> list[tuple]:
        """The rows of ``q`` for every value, ``size`` values a statement (``{ids}`` in ``q``
        stands for their placeholders; ``after``: the parameters of the placeholders behind them)."""
        out: list[tuple] = []
        for k in range(0, len(values), size):
            part = values[k:k + size]
            out += self.all(q.format(ids=self.in_list(len(part))), [*part, *after])
        return out

    def stamp(self, t: dt.datetime):
        """A timestamp as SQLAlchemy stores it (SQLite: its text format; PostgreSQL: as is)."""
        return t if self.pg else t.strftime("%Y-%m-%d %H:%M:%S.%f")


def raw(conn: Connection) -> Raw:
    """The :class:`Raw` of a SQLAlchemy connection (made once per driver connection)."""
    info = conn.connection.info
    r = info.get("nianbao_raw")
    if r is None or r.dbapi is not conn.connection.driver_connection:
        r = info["nianbao_raw"] = Raw(conn)
    return r


def errors(conn: Connection) -> tuple[tuple, tuple]:
    """(integrity errors, operational errors) a statement may raise, SQLAlchemy's and the driver's
    (a plain statement raises the driver's own)."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    dbapi = conn.dialect.dbapi
    return (IntegrityError, dbapi.IntegrityError), (OperationalError, dbapi.OperationalError)
