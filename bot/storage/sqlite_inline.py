"""SQLite for the async engine, run in the event loop's own thread.

aiosqlite hands every call (cursor, execute, fetch, commit) to a worker thread and waits for
the answer: about 0.3 ms per call, several calls per statement. A local SQLite statement
itself takes microseconds, so for this bot (small transactions, one update at a time) the
hand-off cost more than the work. This connection keeps aiosqlite's API, which SQLAlchemy's
aiosqlite dialect drives, but runs each call at once in the calling thread.

What that asks of the engine (see `bot.storage.db`): one pooled connection, so two sessions
in this process never wait on each other's SQLite lock inside a blocking call (a second session
waits for the pool instead, without blocking the loop); and short transactions, which the
storage layer keeps anyway. Another process (the CLI) holding the write lock makes a write here
wait in SQLite's busy handler, blocking the loop for at most that long.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run in the caller's thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        # Still started: the few aiosqlite paths that bypass `_execute` (SQLAlchemy's
        # isolation-level setter) queue to it. Daemon, so it never keeps the process alive.
        self._thread.daemon = True

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        self._thread.start()
        return self._connect().__await__()


def connector(database: str, *, timeout: float) -> Callable[[], InlineConnection]:
    """An `async_creator` for `create_async_engine` opening ``database`` in-thread."""

    def create() -> InlineConnection:
        # check_same_thread off: the connection is made here and, rarely, used by the worker.
        return InlineConnection(
            partial(sqlite3.connect, database, timeout=timeout, check_same_thread=False)
        )

    return create
