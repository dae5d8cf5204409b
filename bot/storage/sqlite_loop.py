"""SQLite in the event loop's thread, on SQLAlchemy's public dialect API only.

aiosqlite runs every call of a connection in a worker thread of its own: about 20 hand-offs
per dialogue step (cursor, execute, fetch, close per statement, commit, the pool's reset),
≈ 1.5 ms of CPU per step, far more than the SQLite calls themselves (microseconds on a local
file). This dialect is SQLAlchemy's own ``pysqlite`` dialect (the stdlib ``sqlite3`` module)
marked as an asyncio dialect: ``create_async_engine`` runs the ORM's synchronous code in a
greenlet in the loop's thread, and here the ``sqlite3`` calls are made right there, with no
thread hand-off. Everything else (types, datetimes, savepoints, error mapping to
``IntegrityError``/``OperationalError``) is the pysqlite dialect's, as with aiosqlite, which
is itself built on the pysqlite dialect.

Why a call may run in the loop's thread:
- the engine has **one** pooled connection (`bot.storage.db.create_engine`), so two sessions
  of this process never meet in SQLite's lock: the second waits in the (asyncio) pool;
- SQLite's busy timeout is off: when another *process* (a CLI command, an overlapping deploy)
  holds the lock, SQLite answers "busy" at once, and the statement is tried again after an
  asyncio sleep (`_until_not_busy`, up to `BUSY_WAIT_S`, as long as aiosqlite would wait):
  the loop keeps running while we wait.

Registered as ``sqlite+inloop`` (SQLAlchemy's documented third-party dialect registry).
``DATABASE_URL=sqlite+aiosqlite:///…`` or ``SQLITE_DRIVER=aiosqlite`` goes back to aiosqlite.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar, cast

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, AdaptedConnection

_T = TypeVar("_T")

DRIVER = "inloop"
# SQLite's own busy wait would block the loop: off (0 ms), we wait here instead, asleep.
LOOP_BUSY_TIMEOUT_MS = 0
BUSY_WAIT_S = 10.0  # as long as aiosqlite waits (bot.storage.db.SQLITE_BUSY_TIMEOUT_MS)
_BUSY_BACKOFF_S = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)
_BUSY_SNAPSHOT = sqlite3.SQLITE_BUSY | (2 << 8)  # SQLite's extended code


async def _resume(_connection: Any) -> None:
    return None


async def _sleep(seconds: float, _connection: Any) -> None:
    await asyncio.sleep(seconds)


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Another connection holds the lock and may let go: worth trying again. Not
    SQLITE_BUSY_SNAPSHOT (this transaction read a snapshot another one has written past:
    it fails however long it waits)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY and code != _BUSY_SNAPSHOT


def _until_not_busy(adapted: InLoopConnection, call: Callable[[], _T]) -> _T:
    """`call()`; while SQLite answers "busy", sleep (the loop runs meanwhile) and try again,
    for up to `BUSY_WAIT_S`. A statement that was busy did nothing, so it can be repeated."""
    deadline = time.monotonic() + BUSY_WAIT_S
    attempt = 0
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() >= deadline:
                raise
        delay = _BUSY_BACKOFF_S[min(attempt, len(_BUSY_BACKOFF_S) - 1)]
        attempt += 1
        adapted.run_async(partial(_sleep, delay))


class InLoopConnection(AdaptedConnection):
    """A ``sqlite3`` connection as an asyncio dialect's DBAPI connection
    (``sqlalchemy.engine.AdaptedConnection``): every call goes straight to ``sqlite3``."""

    __slots__ = ("_sqlite",)

    def __init__(self, connection: sqlite3.Connection) -> None:
        # `driver_connection`, and what `run_async` hands its function (which ignores it).
        self._connection = cast(Any, connection)
        self._sqlite = connection

    def cursor(self) -> InLoopCursor:
        return InLoopCursor(self, self._sqlite.cursor())

    def commit(self) -> None:
        _until_not_busy(self, self._sqlite.commit)

    def rollback(self) -> None:
        self._sqlite.rollback()

    def close(self) -> None:
        self._sqlite.close()

    @property
    def isolation_level(self) -> str | None:
        return self._sqlite.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._sqlite.isolation_level = cast(Any, value)  # "" (DEFERRED) too

    def __getattr__(self, name: str) -> Any:
        # The rest of sqlite3's connection (create_function, in_transaction, …) as it is.
        return getattr(self._sqlite, name)


class InLoopCursor:
    """A ``sqlite3`` cursor whose rows are read at once, as SQLAlchemy's own asyncio adapters
    do (nothing is left pending on the connection when the session moves on).

    `execute` also passes once through SQLAlchemy's greenlet bridge
    (`AdaptedConnection.run_async`, with a coroutine that is done at once, so nothing else runs
    meanwhile): the asyncio API checks that a statement went through the driver's async side.
    That costs a greenlet switch, not a thread hand-off."""

    __slots__ = ("_adapted", "_cursor", "_rows", "description", "lastrowid", "rowcount")

    arraysize = 1

    def __init__(self, adapted: InLoopConnection, cursor: sqlite3.Cursor) -> None:
        self._adapted = adapted
        self._cursor = cursor
        self._rows: deque[Any] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def _done(self) -> InLoopCursor:
        cursor = self._cursor
        self.description = cursor.description
        self.rowcount = cursor.rowcount
        self.lastrowid = cursor.lastrowid
        self._rows = deque(cursor.fetchall()) if cursor.description is not None else deque()
        return self

    def execute(self, operation: str, parameters: Any = ()) -> InLoopCursor:
        self._adapted.run_async(_resume)
        _until_not_busy(self._adapted, lambda: self._cursor.execute(operation, parameters))
        return self._done()

    def executemany(self, operation: str, seq_of_parameters: Any) -> InLoopCursor:
        self._adapted.run_async(_resume)
        _until_not_busy(
            self._adapted, lambda: self._cursor.executemany(operation, seq_of_parameters)
        )
        return self._done()

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> list[Any]:
        rows, self._rows = list(self._rows), deque()
        return rows

    def close(self) -> None:
        self._rows.clear()
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        # Called by SQLAlchemy's asyncio extension on an async dialect's cursor before the
        # result goes to sync code; the rows are already read, there is nothing to do.
        return None

    def setinputsizes(self, *args: Any) -> None:
        pass

    def setoutputsize(self, *args: Any) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()


class SQLiteDialectInLoop(SQLiteDialect_pysqlite):
    """pysqlite, usable by ``create_async_engine``: calls run in the loop's thread."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        # The asyncio pools: a session waiting for the connection awaits, never blocks.
        database = url.database or ""
        memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
        return pool.StaticPool if memory else pool.AsyncAdaptedQueuePool

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        return InLoopConnection(cast(sqlite3.Connection, super().connect(*cargs, **cparams)))

    def get_driver_connection(self, connection: Any) -> Any:
        return connection.driver_connection


dialect = SQLiteDialectInLoop

registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialectInLoop")
