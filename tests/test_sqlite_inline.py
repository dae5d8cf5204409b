"""SQLite run in the event loop's thread (bot.storage.sqlite_inline) behaves like a database:
transactions commit and roll back, sessions in two tasks queue instead of deadlocking, and a
write lock held by another process is waited out."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import updates
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.sqlite_inline import InlineConnection

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_path(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "inline.db"
    shutil.copy(sqlite_template, path)
    return path


@pytest.fixture
async def sqlite_engine(db_path: Path):
    path = db_path
    engine = create_engine(f"sqlite:///{path}")
    yield engine, path
    await engine.dispose()


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM processed_update"))).scalar_one()


async def test_statements_run_in_the_loop_thread(sqlite_engine):
    engine, _ = sqlite_engine
    seen: list[int] = []
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, InlineConnection)
        raw.driver_connection._conn.create_function(
            "whoami", 0, lambda: seen.append(threading.get_ident()) or 1
        )
        await conn.execute(text("SELECT whoami()"))
    assert seen == [threading.get_ident()]


async def test_commit_and_rollback(sqlite_engine):
    engine, _ = sqlite_engine
    factory = session_factory(engine)
    async with transaction(factory) as s:
        assert await updates.record(s, 1, NOW)
    with pytest.raises(RuntimeError):
        async with transaction(factory) as s:
            await updates.record(s, 2, NOW)
            raise RuntimeError("handler failed")
    assert await _count(engine) == 1
    async with transaction(factory) as s:
        assert not await updates.record(s, 1, NOW)  # a repeat is seen, not an error


async def test_two_tasks_writing_at_once_both_commit(sqlite_engine):
    """The first holds its write transaction across an await; the second waits for the one
    pooled connection (without blocking the loop) instead of blocking in SQLite's lock."""
    engine, _ = sqlite_engine
    factory = session_factory(engine)
    order: list[str] = []

    async def slow(update_id: int) -> None:
        async with transaction(factory) as s:
            await updates.record(s, update_id, NOW)
            order.append(f"wrote {update_id}")
            seen = (await s.exec(text("SELECT count(*) FROM processed_update"))).one()[0]
            order.append(f"saw {seen}")
            await asyncio.sleep(0.05)  # e.g. waiting for Telegram while the session is open
        order.append(f"committed {update_id}")

    async def ticker() -> int:
        ticks = 0
        for _ in range(5):
            await asyncio.sleep(0.01)
            ticks += 1
        return ticks

    results = await asyncio.wait_for(asyncio.gather(slow(10), slow(11), ticker()), timeout=5)
    assert results[2] == 5  # the loop kept running meanwhile
    # The second wrote only after the first had finished its transaction.
    assert order.index("wrote 11") > order.index("wrote 10")
    # ... and saw the first one's row: it had waited for that commit.
    assert [o for o in order if o.startswith("saw")] == ["saw 1", "saw 2"]
    assert await _count(engine) == 2


async def test_write_lock_of_another_process_is_waited_out(sqlite_engine):
    """The CLI (another connection) holds the write lock briefly; the bot's write waits for it
    and succeeds instead of failing with 'database is locked'."""
    engine, path = sqlite_engine
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO processed_update(update_id, at) VALUES (99, '2026-11-23')")
    release = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    release.start()
    try:
        started = time.perf_counter()
        async with transaction(session_factory(engine)) as s:
            assert await updates.record(s, 100, NOW)
        assert time.perf_counter() - started >= 0.15
    finally:
        release.join()
        other.close()
    assert await _count(engine) == 2


async def test_a_session_inside_a_session_fails_instead_of_hanging(db_path: Path):
    engine = create_engine(f"sqlite:///{db_path}", pool_timeout=0.2)
    factory = session_factory(engine)
    try:
        async with transaction(factory) as outer:
            await updates.record(outer, 1, NOW)
            with pytest.raises(Exception, match="QueuePool limit"):
                async with transaction(factory) as inner:
                    await updates.record(inner, 2, NOW)
    finally:
        await engine.dispose()
