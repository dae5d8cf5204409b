"""Shared fixtures: a migrated database (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), a controllable clock, and the bot wired to the fake Telegram Bot API server."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FrozenClock
from bot.storage.db import create_engine
from bot.storage.migrate import migrate

pytest_plugins: list[str] = []  # TEMP

PG_URL = os.environ.get("TEST_DATABASE_URL")

# Tables holding reference data seeded by `migrate`; everything else is emptied between tests.
REFERENCE_TABLES = {
    "alembic_version", "municipality", "village", "theme", "activity_type", "indirect_kind",
    "reach_channel", "referral_target", "non_use_reason", "signal_kind",
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


async def _truncate_pg(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        names = (
            await conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
        ).scalars().all()
        victims = [n for n in names if n not in REFERENCE_TABLES]
        if victims:
            await conn.execute(
                text(f"TRUNCATE {', '.join(victims)} RESTART IDENTITY CASCADE")
            )


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
        engine = create_engine(url)
        asyncio.run(_truncate_pg(engine))
        asyncio.run(engine.dispose())
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
