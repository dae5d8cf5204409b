"""Update ids already handled: Telegram may deliver an update twice (after a timeout or a
restart); the second delivery must not act again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import ProcessedUpdate

# Every update runs this statement: build it once per dialect, so each call only binds values.
_RECORD: dict[str, Any] = {}


def _record_statement(dialect: str) -> Any:
    stmt = _RECORD.get(dialect)
    if stmt is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = _RECORD[dialect] = (
            insert(ProcessedUpdate)
            .values(update_id=bindparam("update_id"), at=bindparam("at"))
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
    return stmt


async def record(s: AsyncSession, update_id: int, now: datetime) -> bool:
    """True the first time an update id is seen. One statement, no exception on a repeat."""
    stmt = _record_statement(s.get_bind().dialect.name)
    # Core execution on the session's connection: the ORM path would not report the rowcount.
    conn = await s.connection()
    result = await conn.execute(stmt, {"update_id": update_id, "at": now})
    return bool(result.rowcount)
