"""Storage: migrations give the models' schema on both back ends, pragmas, invites."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from bot.storage import drafts, users
from bot.storage.db import session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import (
    Contact,
    Invite,
    Municipality,
    Role,
    Theme,
    User,
    Village,
)
from tests.support import LoopTicker

NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)


async def test_migrated_schema_matches_models(engine):
    def diff(conn):
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, SQLModel.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_migrated_tables_and_columns_are_the_models(engine):
    """Table and column names of the migrated database equal the models' (on SQLite and PG)."""

    def shape(conn):
        insp = inspect(conn)
        return {
            t: sorted(c["name"] for c in insp.get_columns(t))
            for t in insp.get_table_names()
            if t != "alembic_version"
        }

    async with engine.connect() as conn:
        got = await conn.run_sync(shape)
    want = {t.name: sorted(c.name for c in t.columns) for t in SQLModel.metadata.sorted_tables}
    assert got == want


async def test_migrate_twice_changes_nothing(db_url, engine):
    factory = session_factory(engine)
    async with factory() as s:
        before = (await s.exec(select(func.count()).select_from(Village))).one()
    added = await migrate(db_url)
    assert set(added.values()) == {0}
    async with factory() as s:
        assert (await s.exec(select(func.count()).select_from(Village))).one() == before
        assert (await s.exec(select(func.count()).select_from(Municipality))).one() == 14
        assert (await s.exec(select(func.count()).select_from(Theme))).one() == 14


async def test_reference_data_seeded(engine):
    async with session_factory(engine)() as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        assert venlo.mgr_key_pct == pytest.approx(28.47)
        blerick = (await s.exec(select(Village).where(Village.name == "Blerick"))).one()
        assert blerick.municipality_id == venlo.id
        total = sum((await s.exec(select(Municipality.mgr_key_pct))).all())
        assert total == pytest.approx(100.0)


async def test_sqlite_pragmas_on_every_connection(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    for _ in range(2):
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            # In the loop thread SQLite does not wait: sqlite_loop.py waits, asleep.
            expected = 0 if engine.dialect.driver == "inloop" else 10000
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == expected
        await engine.dispose()  # force a fresh connection next round


async def test_foreign_keys_enforced(engine):
    factory = session_factory(engine)
    with pytest.raises(IntegrityError):
        async with transaction(factory) as s:
            s.add(User(telegram_user_id=1, chat_id=1, role="expert", home_municipality_id=9999))


async def _expert(factory) -> User:
    async with transaction(factory) as s:
        user = User(telegram_user_id=42, chat_id=42, role="expert")
        s.add(user)
    return user


async def test_submission_key_is_unique(engine):
    factory = session_factory(engine)
    user = await _expert(factory)
    async with factory() as s:
        muni_id = (await s.exec(select(Municipality.id))).first()
        act_id = (await s.exec(text("SELECT id FROM activity_type LIMIT 1"))).scalar()
    row = dict(
        submission_key="k1",
        expert_id=user.id,
        work_date=date(2026, 11, 17),
        duration_minutes=45,
        municipality_id=muni_id,
        activity_type_id=act_id,
    )
    async with transaction(factory) as s:
        s.add(Contact(**row))
    with pytest.raises(IntegrityError):
        async with transaction(factory) as s:
            s.add(Contact(**row))


async def test_timestamps_come_back_as_aware_utc(engine):
    factory = session_factory(engine)
    user = await _expert(factory)
    async with factory() as s:
        again = await s.get(User, user.id)
        assert again.created_at.tzinfo is not None
        assert again.created_at.utcoffset() == timedelta(0)


async def _redeem(factory, code, tg_id, now=NOW):
    async with transaction(factory) as s:
        return await users.redeem_invite(
            s,
            code,
            telegram_user_id=tg_id,
            chat_id=tg_id,
            display_name="X",
            language="nl",
            now=now,
            secret="test-secret",
        )


async def test_invite_is_single_use_and_hashed(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        code, _invite = await users.create_invite(s, Role.expert, NOW, 7)
    assert len(code) == 32  # 128 bits, hex
    async with factory() as s:
        stored = (await s.exec(select(Invite))).one()
        assert code not in stored.code_hash and len(stored.code_hash) == 64
    first = await _redeem(factory, code, 1001)
    assert first.ok and first.user.role == "expert"
    second = await _redeem(factory, code, 1002)
    assert not second.ok and second.reason == "used"


async def test_invite_expires(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        code, _ = await users.create_invite(s, Role.coordinator, NOW, 7)
    late = await _redeem(factory, code, 1001, now=NOW + timedelta(days=7, seconds=1))
    assert not late.ok and late.reason == "expired"


async def test_wrong_codes_are_throttled(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        code, _ = await users.create_invite(s, Role.expert, NOW, 7)
    for i in range(users.MAX_FAILED_ATTEMPTS):
        r = await _redeem(factory, f"{i:032x}", 1001)
        assert r.reason == "invalid"
    blocked = await _redeem(factory, code, 1001)
    assert not blocked.ok and blocked.reason == "throttled"
    later = await _redeem(factory, code, 1001, now=NOW + users.ATTEMPT_WINDOW + timedelta(1))
    assert later.ok


def _shape(conn):
    insp = inspect(conn)
    shape = {}
    for table in insp.get_table_names():
        cols = {c["name"]: c["nullable"] for c in insp.get_columns(table)}
        uniques = sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table))
        # PostgreSQL also reports the index behind each unique constraint; SQLite doesn't.
        indexes = sorted(
            (tuple(i["column_names"]), bool(i["unique"]))
            for i in insp.get_indexes(table)
            if not (i["unique"] and tuple(i["column_names"]) in uniques)
        )
        fks = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"])
            for f in insp.get_foreign_keys(table)
        )
        shape[table] = (cols, uniques, indexes, fks)
    return shape


async def test_sqlite_and_postgresql_get_the_same_schema(sqlite_template):
    """`migrate` on an empty SQLite file and on an empty PostgreSQL database: same tables,
    columns, nullability, unique constraints, indexes and foreign keys."""
    import os

    from bot.storage.db import create_engine

    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        pytest.skip("TEST_DATABASE_URL not set")
    shapes = []
    for url in (f"sqlite:///{sqlite_template}", pg):
        eng = create_engine(url)
        async with eng.connect() as conn:
            shapes.append(await conn.run_sync(_shape))
        await eng.dispose()
    assert shapes[0] == shapes[1]


async def test_a_draft_step_never_overwrites_a_newer_one(engine):
    """Two processes answer on the same draft: the second save, made on the revision both
    read, is refused (StaleDraft) instead of silently replacing the first one's step."""
    factory = session_factory(engine)
    user = await _expert(factory)
    ttl = timedelta(hours=2)
    async with transaction(factory) as s:
        draft = await drafts.start(s, user.id, "contact", "date", {"n": 1}, NOW, ttl)
    async with factory() as s:
        other = await drafts.get_by_id(s, draft.id)  # read by "the other process"
    assert other is not None and other.revision == 1

    async with transaction(factory) as s:
        mine = await drafts.get_by_id(s, draft.id)
        assert mine is not None
        await drafts.save(s, mine, NOW, ttl, state="gemeente", data={"n": 2})
        assert (mine.state, mine.revision, mine.data) == ("gemeente", 2, {"n": 2})
        assert not s.is_modified(mine)  # written already; nothing left for the flush

    with pytest.raises(drafts.StaleDraft):
        async with transaction(factory) as s:
            s.add(other)
            await drafts.save(s, other, NOW, ttl, state="activity", data={"n": 99})
    async with factory() as s:
        stored = await drafts.get_by_id(s, draft.id)
    assert stored is not None
    assert (stored.state, stored.revision, stored.data) == ("gemeente", 2, {"n": 2})


async def test_a_draft_changed_in_place_is_saved_and_a_gone_one_is_refused(engine):
    factory = session_factory(engine)
    user = await _expert(factory)
    ttl = timedelta(hours=2)
    async with transaction(factory) as s:
        draft = await drafts.start(s, user.id, "herinnering", "days", {"days": [1]}, NOW, ttl)
    async with transaction(factory) as s:
        row = await drafts.get_by_id(s, draft.id)
        assert row is not None
        row.data["days"].append(3)  # in place, no data= passed
        await drafts.save(s, row, NOW + timedelta(minutes=1), ttl)
    async with factory() as s:
        stored = await drafts.get_by_id(s, draft.id)
    assert stored is not None
    assert stored.data == {"days": [1, 3]} and stored.revision == 2
    assert stored.expires_at == NOW + timedelta(minutes=1) + ttl

    async with transaction(factory) as s:
        await drafts.discard_all(s, user.id)
    with pytest.raises(drafts.StaleDraft):
        async with transaction(factory) as s:
            s.add(stored)
            await drafts.save(s, stored, NOW, ttl, state="x")


# --------------------------------------------------------------------------- SQLite in the loop
# One pooled connection (bot.storage.db): sessions in two tasks queue for it instead of
# deadlocking in SQLite's lock, and a write lock held by another process is waited out.


@pytest.fixture
async def sqlite_file_engine(sqlite_template, tmp_path):
    import shutil

    from bot.storage.db import create_engine

    path = tmp_path / "one.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}")
    yield engine, path
    await engine.dispose()


async def _processed_count(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM processed_update"))).scalar_one()


async def test_sqlite_commit_and_rollback(sqlite_file_engine):
    from bot.storage import updates

    engine, _ = sqlite_file_engine
    factory = session_factory(engine)
    async with transaction(factory) as s:
        assert await updates.record(s, 1, NOW)
    with pytest.raises(RuntimeError):
        async with transaction(factory) as s:
            await updates.record(s, 2, NOW)
            raise RuntimeError("handler failed")
    assert await _processed_count(engine) == 1
    async with transaction(factory) as s:
        assert not await updates.record(s, 1, NOW)  # a repeat is seen, not an error


async def test_sqlite_two_tasks_writing_at_once_both_commit(sqlite_file_engine):
    """The first holds its write transaction across an await; the second waits for the one
    pooled connection (without blocking the loop) instead of failing in SQLite's lock."""
    import asyncio

    from bot.storage import updates

    engine, _ = sqlite_file_engine
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
    assert order.index("wrote 11") > order.index("wrote 10")
    # ... and saw the first one's row: it had waited for that commit.
    assert [o for o in order if o.startswith("saw")] == ["saw 1", "saw 2"]
    assert await _processed_count(engine) == 2


async def test_sqlite_write_lock_of_another_process_is_waited_out(sqlite_file_engine):
    """The CLI (another connection) holds the write lock briefly; the bot's write waits for it
    and succeeds instead of failing with 'database is locked', and the loop runs meanwhile."""
    import sqlite3
    import threading
    import time

    from bot.storage import updates

    engine, path = sqlite_file_engine
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO processed_update(update_id, at) VALUES (99, '2026-11-23')")
    release = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    release.start()
    try:
        async with LoopTicker(0.01) as ticker:
            started = time.perf_counter()
            async with transaction(session_factory(engine)) as s:
                assert await updates.record(s, 100, NOW)
            assert time.perf_counter() - started >= 0.15
        assert ticker.ticks >= 5  # the wait happened off the loop
    finally:
        release.join()
        other.close()
    assert await _processed_count(engine) == 2


async def test_sqlite_a_session_inside_a_session_fails_instead_of_hanging(
    sqlite_template, tmp_path
):
    import shutil

    from bot.storage import updates
    from bot.storage.db import create_engine

    path = tmp_path / "nested.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}", pool_timeout=0.2)
    factory = session_factory(engine)
    try:
        async with transaction(factory) as outer:
            await updates.record(outer, 1, NOW)
            with pytest.raises(Exception, match="QueuePool limit"):
                async with transaction(factory) as inner:
                    await updates.record(inner, 2, NOW)
    finally:
        await engine.dispose()
