"""`as_date`: a date read back from the database, whatever form the driver hands it in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from bot.storage.db import session_factory, transaction
from bot.storage.models import DayOff, User, table_of
from bot.storage.query_helpers import as_date

DAY = date(2026, 11, 17)


@pytest.mark.parametrize(
    "value",
    [
        DAY,
        datetime(2026, 11, 17),
        datetime(2026, 11, 17, 23, 59, 59, 999999),
        datetime(2026, 11, 17, 13, 0, tzinfo=UTC),
        datetime(2026, 11, 17, 23, 30, tzinfo=timezone(timedelta(hours=1))),
        "2026-11-17",
        "2026-11-17 00:00:00",
        "2026-11-17 13:00:00.000000",
        "2026-11-17 13:00:00.123456",
    ],
)
def test_as_date_gives_the_day(value):
    got = as_date(value)
    assert got == DAY and type(got) is date


def test_as_date_keeps_none():
    assert as_date(None) is None


def test_as_date_refuses_text_that_is_no_date():
    with pytest.raises(ValueError):
        as_date("gisteren")


async def test_as_date_on_what_the_drivers_hand_back(engine):
    """Typed (Core) and untyped (raw SQL) reads of a Date and a timestamp column: SQLite gives
    text for the raw ones, PostgreSQL dates and datetimes."""
    async with transaction(session_factory(engine)) as s:
        user = User(telegram_user_id=1, chat_id=1, role="expert", display_name="E")
        s.add(user)
        await s.flush()
        noon = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
        s.add(DayOff(expert_id=user.id, work_date=DAY, created_at=noon))
    async with transaction(session_factory(engine)) as s:
        conn = await s.connection()
        raw = (await conn.execute(text("SELECT work_date, created_at FROM day_off"))).one()
        typed = (await conn.execute(sa.select(table_of(DayOff)))).one()
    on_sqlite = engine.dialect.name == "sqlite"
    assert [type(v) for v in raw] == ([str, str] if on_sqlite else [date, datetime])
    assert [as_date(v) for v in (*raw, typed.work_date, typed.created_at)] == [DAY] * 4
