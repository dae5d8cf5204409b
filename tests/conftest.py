"""Shared fixtures: a migrated database (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), a controllable clock, and the bot wired to the fake Telegram Bot API server."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FrozenClock
from bot.services import Services
from bot.storage import users
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import Role, User
from fakebot.bot import settings_for, start_bot
from fakebot.scenario import ChatUser
from fakebot.server import FakeTelegram

pytest_plugins = ["fakebot.fixtures"]

PG_URL = os.environ.get("TEST_DATABASE_URL")

# Tables holding reference data seeded by `migrate`; everything else is emptied between tests.
REFERENCE_TABLES = {
    "alembic_version",
    "municipality",
    "village",
    "theme",
    "activity_type",
    "indirect_kind",
    "reach_channel",
    "referral_target",
    "non_use_reason",
    "signal_kind",
    "list_version",
}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per test session; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    asyncio.run(migrate(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL pass skipped")

    async def reset_and_migrate() -> None:
        engine = create_engine(PG_URL)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
        await migrate(PG_URL)

    asyncio.run(reset_and_migrate())
    return PG_URL


async def _truncate_pg(url: str) -> None:
    # One event loop for connect, truncate and dispose: asyncpg connections are loop-bound.
    engine = create_engine(url)
    try:
        await _truncate(engine)
    finally:
        await engine.dispose()


async def _truncate(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        names = (
            (
                await conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            )
            .scalars()
            .all()
        )
        victims = [n for n in names if n not in REFERENCE_TABLES]
        if victims:
            await conn.execute(text(f"TRUNCATE {', '.join(victims)} RESTART IDENTITY CASCADE"))
        await _restore_lists(conn)


async def _restore_lists(conn: Any) -> None:
    """A test that changed a list (the coordinator's /lijsten, `lijsten import`) bumped the
    list version: put the seeded vocabularies back as `migrate` left them."""
    from bot.data import vocabulary
    from bot.storage.models import VOCAB_TABLES

    version = (await conn.execute(text("SELECT version FROM list_version WHERE id = 1"))).scalar()
    if not version:
        return
    for kind, entries in vocabulary().items():
        table = VOCAB_TABLES[kind].__tablename__
        codes = {f"c{n}": e.code for n, e in enumerate(entries)}
        marks = ", ".join(f":{k}" for k in codes)
        await conn.execute(text(f"DELETE FROM {table} WHERE code NOT IN ({marks})"), codes)
        for order, e in enumerate(entries):
            await conn.execute(
                text(
                    f"UPDATE {table} SET label = :label, aliases = :aliases, "
                    "sort_order = :order, active = TRUE WHERE code = :code"
                ),
                {"label": e.label, "aliases": ";".join(e.aliases), "order": order, "code": e.code},
            )
    await conn.execute(text("UPDATE list_version SET version = 0 WHERE id = 1"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, seeded database URL; every test that takes it runs on both back ends."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "bot.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_migrated")
        asyncio.run(_truncate_pg(url))
        yield url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    # A Tuesday afternoon in November, a normal working day.
    return FrozenClock(datetime(2026, 11, 17, 13, 0, tzinfo=UTC))


# --------------------------------------------------------------------------- the bot harness


class BotHarness:
    """The real Application, wired to the fake Bot API server and a test database.

    `restart()` shuts the Application down and builds a new one on the same database, as a
    process restart would: nothing in memory survives, only what is in the database."""

    def __init__(self, tg: FakeTelegram, db_url: str, clock: FrozenClock, **overrides: Any):
        self.tg = tg
        self.db_url = db_url
        self.clock = clock
        self.settings = settings_for(tg, db_url, **overrides)
        self.app: Any = None
        self.engine: AsyncEngine | None = None
        self.raise_errors = True

    @property
    def services(self) -> Services:
        return self.app.bot_data.services

    async def start(self, *, schedule_jobs: bool = False) -> BotHarness:
        self.engine = create_engine(self.db_url)
        self.app = await start_bot(
            self.tg,
            self.settings,
            clock=self.clock,
            engine=self.engine,
            schedule_jobs=schedule_jobs,
            raise_errors=self.raise_errors,
        )
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.shutdown()
            self.app = None
        if self.engine is not None:
            await self.engine.dispose()
            self.engine = None

    async def restart(self) -> BotHarness:
        await self.stop()
        return await self.start()

    def resident(self, first_name: str = "Sam", **kw: Any) -> ChatUser:
        return self.tg.user(first_name, **kw)

    async def invite_code(self, role: str = "expert", gemeente: str | None = None) -> str:
        async with transaction(session_factory(self.engine)) as s:
            muni_id = None
            if gemeente:
                muni = await users.municipality_by_name(s, gemeente)
                assert muni is not None, gemeente
                muni_id = muni.id
            code, _ = await users.create_invite(s, Role(role), self.clock.now(), 7, muni_id)
        return code

    async def register(
        self, role: str, first_name: str, gemeente: str | None, **kw: Any
    ) -> ChatUser:
        person = self.tg.user(first_name, **kw)
        code = await self.invite_code(role, gemeente)
        await person.says(f"/start {code}")
        async with session_factory(self.engine)() as s:
            assert await users.get_by_telegram_id(s, person.chat_id) is not None, (
                person.transcript()
            )
        return person

    async def expert(
        self, first_name: str = "Anna", gemeente: str | None = "Venlo", **kw: Any
    ) -> ChatUser:
        return await self.register("expert", first_name, gemeente, **kw)

    async def coordinator(self, first_name: str = "Carla", **kw: Any) -> ChatUser:
        return await self.register("coordinator", first_name, None, **kw)

    async def app_user(self, person: ChatUser) -> User:
        async with session_factory(self.engine)() as s:
            user = await users.get_by_telegram_id(s, person.chat_id)
            assert user is not None
            return user


@pytest.fixture
async def bot(fake_telegram: FakeTelegram, db_url: str, clock: FrozenClock):
    harness = BotHarness(fake_telegram, db_url, clock)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


@asynccontextmanager
async def scheduled_app(tmp_path: Path, **settings: Any) -> AsyncIterator[Any]:
    """The production application on a fresh SQLite file, its job scheduler started paused:
    jobs go into the store (so their options can be checked), nothing runs."""
    from bot.app import build_application
    from bot.config import Settings

    application = build_application(
        Settings(
            telegram_bot_token="123456:TEST",
            telegram_api_base_url="http://127.0.0.1:9/bot",
            database_url=f"sqlite:///{tmp_path}/x.db",
            **settings,
        ),
        set_menus=False,
        updater=False,
        rate_limit=False,
    )
    sched = application.job_queue.scheduler
    sched.start(paused=True)
    try:
        yield application
    finally:
        sched.shutdown(wait=False)
        await application.bot_data.services.engine.dispose()
