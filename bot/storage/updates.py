"""Update ids already handled: Telegram may deliver an update twice (after a timeout or a
restart); the second delivery must not act again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import ProcessedUpdate


async def record(s: AsyncSession, update_id: int, now: datetime) -> bool:
    """True the first time an update id is seen. One statement, no exception on a repeat."""
    dialect = s.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(ProcessedUpdate)
        .values(update_id=update_id, at=now)
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    result = await s.exec(stmt)  # type: ignore[call-overload]
    return bool(result.rowcount)
