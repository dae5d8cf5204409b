"""Engine and session factory. SQLite gets WAL, a busy timeout and enforced foreign keys, and
runs in the loop's thread (`sqlite_loop`) unless aiosqlite is asked for."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import async_database_url
from bot.storage import sqlite_loop  # registers the sqlite+inloop dialect

SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRES_POOL_RECYCLE_S = 300


def _sqlite_on_connect(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        _sqlite_pragmas(dbapi_conn, busy_timeout_ms)

    return on_connect


def _sqlite_pragmas(dbapi_conn: Any, busy_timeout_ms: int) -> None:
    # Set on every new connection: these pragmas are per connection in SQLite.
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed, not left in free space (docs/PRIVACY.md).
        cur.execute("PRAGMA secure_delete=ON")
    finally:
        cur.close()


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine for a plain or async URL (`sqlite:///…`, `postgresql://…`)."""
    url = make_url(async_database_url(database_url))
    busy_timeout_ms = SQLITE_BUSY_TIMEOUT_MS
    if url.get_driver_name() == sqlite_loop.DRIVER:
        # Its calls block the loop: a lock held by another process is waited for briefly.
        busy_timeout_ms = sqlite_loop.LOOP_BUSY_TIMEOUT_MS
    if url.get_backend_name() == "sqlite":
        db = url.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            # One connection: a second session (a job during an update) waits for it in the
            # pool, without blocking the loop, instead of two of our own connections meeting
            # in SQLite's lock (where a read-then-write one can fail at once with "database is
            # locked"). A session opened inside another one would wait forever: fail loudly.
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
            kwargs.setdefault("pool_timeout", 10)
        kwargs.setdefault("connect_args", {"timeout": busy_timeout_ms / 1000})
    else:
        # Not pool_pre_ping: that is a round trip to the server on every checkout, i.e. every
        # update. A connection is replaced once it is 5 minutes old instead, before idle
        # timeouts of servers, proxies and firewalls (typically >= 5 min) cut it. One cut
        # anyway (a database restart) fails one update, which is told "try again"; SQLAlchemy
        # then drops that connection and the pool's others.
        kwargs.setdefault("pool_recycle", POSTGRES_POOL_RECYCLE_S)
    # SQL parameters in error messages would carry what experts typed.
    kwargs.setdefault("hide_parameters", True)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect(busy_timeout_ms))
    return engine


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


SessionFactory = async_sessionmaker[AsyncSession]


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def transaction(factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on any error."""
    async with factory() as session, session.begin():
        yield session
