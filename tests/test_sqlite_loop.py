"""The in-loop SQLite driver (`bot/storage/sqlite_loop.py`): the same behaviour as aiosqlite
for what the bot relies on, with the calls made in the loop's thread."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import select

from bot.config import ConfigError, async_database_url
from bot.storage import drafts, sqlite_loop, updates
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.idempotent import insert_once
from bot.storage.models import ProcessedUpdate, User
from tests.support import LoopTicker

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
async def loop_engine(sqlite_template, tmp_path):
    path = tmp_path / "loop.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite+inloop:///{path}")
    assert engine.dialect.driver == "inloop" and engine.dialect.is_async
    yield engine
    await engine.dispose()


async def test_statements_run_in_the_loops_thread(loop_engine):
    """SQLite runs the statement (here a function of ours in it) in the loop's thread."""
    from sqlalchemy import event

    @event.listens_for(loop_engine.sync_engine, "connect")
    def _thread_function(dbapi_connection, _record) -> None:
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)

    async with transaction(session_factory(loop_engine)) as s:
        assert await updates.record(s, 1, NOW)
        assert not await updates.record(s, 1, NOW)  # rowcount 0 on the repeat
        ran_in = (await s.exec(text("SELECT thread_id()"))).scalar_one()
    assert ran_in == threading.get_ident()


async def test_many_tasks_share_the_one_connection_in_turn(loop_engine):
    """50 tasks, each a read-then-write transaction on the one pooled connection: all commit,
    none sees another's uncommitted row, none fails with 'database is locked'."""
    factory = session_factory(loop_engine)
    seen: list[int] = []

    async def one(n: int) -> None:
        async with transaction(factory) as s:
            before = (await s.exec(text("SELECT count(*) FROM processed_update"))).scalar_one()
            await asyncio.sleep(0)  # let the others queue for the connection
            assert await updates.record(s, 1000 + n, NOW)
            seen.append(before)

    await asyncio.gather(*(one(n) for n in range(50)))
    assert sorted(seen) == list(range(50))  # strictly one after the other
    async with factory() as s:
        count = (await s.exec(text("SELECT count(*) FROM processed_update"))).scalar_one()
    assert count == 50


async def test_rollback_undoes_the_transaction(loop_engine):
    factory = session_factory(loop_engine)
    with pytest.raises(RuntimeError):
        async with transaction(factory) as s:
            await updates.record(s, 7, NOW)
            raise RuntimeError("the journey failed")
    async with factory() as s:
        assert (await s.exec(select(ProcessedUpdate))).all() == []


async def test_unique_violation_is_sqlalchemys_integrity_error(loop_engine):
    factory = session_factory(loop_engine)
    async with transaction(factory) as s:
        s.add(User(telegram_user_id=42, chat_id=42, role="expert"))
    with pytest.raises(IntegrityError) as caught:
        async with transaction(factory) as s:
            s.add(User(telegram_user_id=42, chat_id=43, role="expert"))
    assert isinstance(caught.value.orig, sqlite3.IntegrityError)


async def test_insert_once_clash_returns_the_winner(loop_engine):
    """insert_once's savepoint: a unique clash rolls back only the savepoint, returns the row
    that won, and the unit's other work (the update id) is committed with it."""
    factory = session_factory(loop_engine)
    async with transaction(factory) as s:
        s.add(User(telegram_user_id=42, chat_id=42, role="expert"))
    calls = 0

    async with transaction(factory) as s:
        await updates.record(s, 5, NOW)

        async def find():
            nonlocal calls
            calls += 1
            if calls == 1:
                return None  # as if a racing update inserted it just after this lookup
            return (await s.exec(select(User).where(User.telegram_user_id == 42))).first()

        async def insert():
            row = User(telegram_user_id=42, chat_id=99, role="expert")
            s.add(row)
            await s.flush()
            return row

        saved = await insert_once(s, find, insert)
        assert not saved.created and saved.row.chat_id == 42
    async with factory() as s:
        assert [p.update_id for p in (await s.exec(select(ProcessedUpdate))).all()] == [5]
        assert len((await s.exec(select(User))).all()) == 1


async def test_datetimes_and_dates_round_trip(loop_engine):
    factory = session_factory(loop_engine)
    async with transaction(factory) as s:
        user = User(telegram_user_id=42, chat_id=42, role="expert", pause_until=date(2026, 12, 24))
        s.add(user)
    async with transaction(factory) as s:
        draft = await drafts.start(
            s, user.id, "contact", "date", {"a": [1, "é"]}, NOW, timedelta(hours=2)
        )
    async with factory() as s:
        again = await drafts.get_by_id(s, draft.id)
        row = (await s.exec(select(User).where(User.id == user.id))).one()
    assert again is not None
    assert again.expires_at == NOW + timedelta(hours=2) and again.expires_at.tzinfo is not None
    assert again.data == {"a": [1, "é"]}
    assert row.pause_until == date(2026, 12, 24)
    async with transaction(factory) as s:
        await updates.record(s, 3, NOW)
    async with factory() as s:
        assert (await s.exec(select(ProcessedUpdate.at))).all() == [NOW]


async def test_another_process_lock_is_waited_out_asleep_or_fails(loop_engine, monkeypatch):
    """SQLite's busy wait is off in the loop's thread: a lock held by another connection is
    waited out with asyncio sleeps (the loop runs), and past BUSY_WAIT_S the statement fails
    with 'database is locked' as aiosqlite's would after its busy timeout."""
    path = loop_engine.url.database
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(sqlite_loop, "BUSY_WAIT_S", 0.2)
    try:
        async with LoopTicker(0.005) as ticker:
            with pytest.raises(OperationalError, match="database is locked"):
                async with transaction(session_factory(loop_engine)) as s:
                    await updates.record(s, 1, NOW)
        assert ticker.ticks >= 10  # the loop ran while the statement waited
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with transaction(session_factory(loop_engine)) as s:
        assert await updates.record(s, 1, NOW)


def test_sqlite_driver_setting(monkeypatch):
    monkeypatch.delenv("SQLITE_DRIVER", raising=False)
    assert async_database_url("sqlite:///x.db") == "sqlite+inloop:///x.db"
    monkeypatch.setenv("SQLITE_DRIVER", "aiosqlite")
    assert async_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert async_database_url("sqlite+inloop:///x.db") == "sqlite+inloop:///x.db"
    monkeypatch.setenv("SQLITE_DRIVER", "pysqlite")
    with pytest.raises(ConfigError, match="SQLITE_DRIVER"):
        async_database_url("sqlite:///x.db")
